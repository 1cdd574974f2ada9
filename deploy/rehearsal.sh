#!/bin/bash
# Rehearse deploys on this machine: moto_server stands in for EC2 and S3, and tally-deploy
# (--rehearsal-dir) runs each launched instance's user-data in a sandbox directory.
#
#   deploy/rehearsal.sh up      start moto_server on a free loopback port (state under deploy/target/rehearsal/)
#   deploy/rehearsal.sh env     print the exports that aim tally-deploy at it:  eval "$(deploy/rehearsal.sh env)"
#   deploy/rehearsal.sh down    stop every service the rehearsal started, then moto_server
#   deploy/rehearsal.sh run     all of it: up, publish the jar's own version, release 2 instances, smoke, status, down
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${TALLY_REHEARSAL_STATE:-$here/target/rehearsal}"   # moto pid, endpoint, instance sandboxes
bucket="tally-rehearsal"

die() { echo "rehearsal: $*" >&2; exit 1; }

running_pid() {  # prints the pid in file $1 if that process still runs and its command line contains $2
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}

stop_pid() {  # TERM, wait up to 10 s, then KILL
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

up() {
  command -v moto_server >/dev/null || die "moto_server is not on PATH (pip install 'moto[server]')"
  mkdir -p "$state"
  if pid="$(running_pid "$state/moto.pid" moto_server)"; then
    echo "rehearsal: moto_server already runs (pid $pid) at $(cat "$state/endpoint")" >&2
    return 0
  fi
  local port
  port="$(free_port)"
  nohup moto_server -H 127.0.0.1 -p "$port" >"$state/moto.log" 2>&1 </dev/null &
  local moto=$!
  echo "$moto" >"$state/moto.pid"
  echo "http://127.0.0.1:$port" >"$state/endpoint"
  mkdir -p "$state/instances"
  for _ in $(seq 1 300); do
    if curl --silent --output /dev/null "http://127.0.0.1:$port/moto-api/"; then
      echo "rehearsal: moto_server pid $(cat "$state/moto.pid") at http://127.0.0.1:$port" >&2
      env_exports
      return 0
    fi
    # kill -0, not running_pid: while nohup and the launcher exec their way to the Python process, its
    # command line can read empty for an instant, which once passed for an exit (a failed CI run).
    kill -0 "$moto" 2>/dev/null || die "moto_server exited; see $state/moto.log"
    sleep 0.1
  done
  die "moto_server did not answer within 30 s; see $state/moto.log"
}

env_exports() {
  [ -f "$state/endpoint" ] || die "not up: run deploy/rehearsal.sh up"
  cat <<EXPORTS
export TALLY_DEPLOY_ENDPOINT_URL=$(cat "$state/endpoint")
export TALLY_DEPLOY_BUCKET=$bucket
export TALLY_DEPLOY_REGION=us-east-1
export TALLY_DEPLOY_REHEARSAL_DIR=$state
export TALLY_DEPLOY_POLL_INTERVAL=250ms
export TALLY_DEPLOY_HEALTH_TIMEOUT=60s
export AWS_ACCESS_KEY_ID=rehearsal
export AWS_SECRET_ACCESS_KEY=rehearsal
EXPORTS
}

down() {
  local pidfile home pid
  if [ -d "$state/instances" ]; then
    for pidfile in "$state"/instances/*/root/run/tally/tally.pid; do
      [ -f "$pidfile" ] || continue
      home="${pidfile%/root/run/tally/tally.pid}"
      if pid="$(running_pid "$pidfile" "$home/root/opt/tally/lib/tally.jar")"; then
        stop_pid "$pid"
      fi
    done
  fi
  if pid="$(running_pid "$state/moto.pid" moto_server)"; then
    stop_pid "$pid"
    echo "rehearsal: stopped moto_server (pid $pid)" >&2
  fi
  rm -rf "$state"
}

run() {
  local version root
  root="$(cd "$here/.." && pwd)"
  if [ ! -f "$root/service/target/tally.jar" ] || [ ! -f "$here/target/tally-deploy.jar" ]; then
    die "build first: mvn -pl service,deploy -am package -DskipTests"
  fi
  # The health gate compares /version with the released version: default to the one the jar reports.
  version="${1:-$(python3 -c 'import sys, zipfile; print(dict(l.split("=", 1) for l in zipfile.ZipFile(sys.argv[1]).read("tally-version.properties").decode().split("\n") if "=" in l)["version"])' "$root/service/target/tally.jar")}"
  trap down EXIT
  up >/dev/null
  eval "$(env_exports)"
  local t0=$SECONDS
  "$here/bin/tally-deploy" publish --version "$version" --jar "$root/service/target/tally.jar"
  "$here/bin/tally-deploy" release --env rehearsal --version "$version" --count 2
  "$here/bin/tally-deploy" smoke --env rehearsal
  "$here/bin/tally-deploy" status --env rehearsal
  echo "rehearsal: publish + release + smoke took $((SECONDS - t0)) s" >&2
}

case "${1:-}" in
  up) up ;;
  env) env_exports ;;
  down) down ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 up|env|down|run [VERSION]" >&2; exit 2 ;;
esac
