#!/usr/bin/env bash
# Lines of code per module and language, written to target/line-count.tsv (Jenkins archives it), with one
# gate: no main source file over MAX_FILE_LINES lines (STYLE.md asks for small files; the Undertow files
# we model ours on have a median of about 70 lines).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MAX_FILE_LINES=${TALLY_MAX_FILE_LINES:-1000}
OUT=target/line-count.tsv
mkdir -p target

# Tracked and new files alike, never build output.
list_files() {
  find . \( -name .git -o -name target -o -name node_modules -o -name tally-data \) -prune -o -type f -print |
    sed 's|^\./||'
}

language_of() {
  case "$1" in
    *.java) echo java ;;
    *.js) echo javascript ;;
    *.css) echo css ;;
    *.html | *.htm | *.mustache | *.ftl) echo html ;;
    *.sh | .ci/run | */bin/*) echo shell ;;
    *.groovy | Jenkinsfile) echo groovy ;;
    *.xml) echo xml ;;
    *.yml | *.yaml) echo yaml ;;
    *.md) echo markdown ;;
    *) echo "" ;;
  esac
}

{
  printf 'module\tkind\tlanguage\tfiles\tlines\n'
  list_files | while IFS= read -r file; do
    lang=$(language_of "$file")
    [[ -n "$lang" ]] || continue
    module=${file%%/*}
    [[ "$file" == */* ]] || module=.
    kind="main"
    [[ "$file" == */src/test/* ]] && kind="test"
    printf '%s\t%s\t%s\t%s\n' "$module" "$kind" "$lang" "$(wc -l <"$file")"
  done | sort | awk -F'\t' '
    { key = $1 "\t" $2 "\t" $3; files[key]++; lines[key] += $4 }
    END { for (k in files) printf "%s\t%d\t%d\n", k, files[k], lines[k] }' | sort
} >"$OUT"

column -t -s $'\t' "$OUT" 2>/dev/null || cat "$OUT"
awk -F'\t' 'NR > 1 && $3 == "java" { sum[$2] += $5 } END { printf "java lines: main %d, test %d\n", sum["main"], sum["test"] }' "$OUT"

too_long=$(find . \( -name .git -o -name target \) -prune -o -path '*/src/main/*' -name '*.java' -print0 |
  xargs -0 -r wc -l | awk -v max="$MAX_FILE_LINES" '$2 != "total" && $1 > max { print "  " $2 ": " $1 " lines" }')
if [[ -n "$too_long" ]]; then
  printf 'line count gate: main source files over %d lines:\n%s\n' "$MAX_FILE_LINES" "$too_long" >&2
  exit 1
fi
echo "line count gate: no main source file over $MAX_FILE_LINES lines (report: $OUT)"
