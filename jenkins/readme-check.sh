#!/usr/bin/env bash
# Runs the README's command blocks that are marked to be run, in order, as written, so that the quick
# start cannot drift from the code. A block is marked by an HTML comment on the line before its fence:
#
#   <!-- run -->                 every line of the block runs (a line ending in \ continues)
#   <!-- run: serve -->          the first command starts the server in the background; the script waits
#                                for /readyz and stops it at the end. Later lines of that block are not
#                                run (the quick start's test command is what runs this check).
#
# The one change to what is written: the server's port is a free one and its data dir a temporary one
# (TALLY_PORT and TALLY_DATA_DIR, which bin/tally reads), and localhost:8080 in the commands is rewritten
# to that port, so that a busy 8080 or a server already running in the checkout cannot fail the check.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
work=$(mktemp -d "${TMPDIR:-/tmp}/tally-readme.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    # The serve line's shell and the server it started share a process group of their own (setsid).
    kill -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

TALLY_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TALLY_DATA_DIR="$work/data"
export TALLY_PORT TALLY_DATA_DIR

# The marked blocks, each as "MODE<TAB>line" records, with continued lines joined.
python3 - "$ROOT/README.md" >"$work/blocks.tsv" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
mode, block, out = None, None, []
for i, line in enumerate(lines):
    if block is not None:
        if line.startswith("```"):
            joined, buf = [], ""
            for l in block:
                buf += l[:-1] + " " if l.endswith("\\") else l
                if not l.endswith("\\"):
                    joined.append(buf)
                    buf = ""
            for n, command in enumerate(c for c in joined if c.strip()):
                if mode == "serve" and n > 0:
                    break
                out.append(("serve" if mode == "serve" else "run") + "\t" + command)
            block, mode = None, None
        else:
            block.append(line)
        continue
    m = re.match(r"\s*<!-- run(?:: (serve))? -->\s*$", line)
    if m and i + 1 < len(lines) and lines[i + 1].startswith("```sh"):
        mode = m.group(1) or "run"
    elif line.startswith("```sh") and mode is not None:
        block = []
print("\n".join(out))
PY
[[ -s "$work/blocks.tsv" ]] || { echo "readme-check: no <!-- run --> block in README.md" >&2; exit 1; }

n=0
while IFS=$'\t' read -r mode command; do
  n=$((n + 1))
  command=${command//localhost:8080/localhost:$TALLY_PORT}
  printf '==> README command %d (%s): %s\n' "$n" "$mode" "$command"
  if [[ $mode == serve ]]; then
    # The serve line as written, less its comment: the build, then the server in the background.
    setsid bash -c "${command%%#*} >$work/server.log 2>&1" </dev/null &
    server_pid=$!
    for _ in $(seq 1 600); do
      curl -fsS -o /dev/null "http://localhost:$TALLY_PORT/readyz" 2>/dev/null && break
      kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "readme-check: the server did not start" >&2; exit 1; }
      sleep 0.5
    done
    curl -fsS -o /dev/null "http://localhost:$TALLY_PORT/readyz" || { echo "readme-check: not ready" >&2; exit 1; }
  else
    bash -euo pipefail -c "$command" </dev/null >"$work/out.log" 2>&1 || {
      cat "$work/out.log" >&2
      echo "readme-check: README command $n failed: $command" >&2
      exit 1
    }
    # curl exits 0 on a 4xx or 5xx: a problem+json body in the output fails the command too.
    if grep -q '"type":"about:blank"' "$work/out.log"; then
      cat "$work/out.log" >&2
      echo "readme-check: README command $n answered with a problem: $command" >&2
      exit 1
    fi
    tail -c 300 "$work/out.log"
    echo
  fi
done <"$work/blocks.tsv"
echo "==> readme-check: $n README commands ran as written"
