#!/usr/bin/env bash
# Tally's benchmark suite in one command: Tally's `stats` file mode and HTTP upload against
# DuckDB and jq doing the same job on the same generated file, side by side in each run; start-up, peak
# RSS, wrk on the read API, a 1 GB upload under -Xmx256m, the JMH job benchmark and a count of bytes
# allocated per record. Writes a table with median, min and max to docs/benchmarks.md.
#
# Usage: bench/run.sh [--smoke] [--runs N] [--size BYTES] [--seed S] [--no-build] [--no-big] [--no-jmh]
#                     [--out FILE] [--allow-load]
#   --smoke     a 2 MB file, one run, 2 s of wrk, short JMH, a 4 MB "big" upload: checks the suite works
#               (CI); the report is marked "smoke: not a measurement" and goes under bench/target/
#   --no-build  use the jars already built (service/target/tally.jar, bench/target/benchmarks.jar)
#   --no-big    skip the 1 GB upload under -Xmx256m (about a minute)
#   --no-jmh    skip the JMH benchmark (about a minute)
#   --allow-load  publish a full run even though the machine was busy when it started (load average
#               above 1.0); without it such a run refuses to start, since its figures would mislead
# Needs: a JDK 17, Maven, curl, GNU time; installs jq and wrk with apt-get when missing and allowed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
size=206000000     # 206 MB, about 200,000 records: the reference file
big_size=1000000000   # 1 GB: whole lines past it must stay under the default 1 GiB upload cap
seed=2013
build=1 big=1 jmh=1 smoke=0 allow_load=0
wrk_duration=10s
out=""
command="bench/run.sh${*:+ $*}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) smoke=1; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-big) big=0; shift ;;
    --no-jmh) jmh=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --allow-load) allow_load=1; shift ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [[ $smoke == 1 ]]; then
  runs=1 size=2000000 big_size=4000000 wrk_duration=2s
  out="${out:-$root/bench/target/bench-work/benchmarks-smoke.md}"
fi
out="${out:-$root/docs/benchmarks.md}"
mode=$([[ $smoke == 1 ]] && echo smoke || echo full)

work="$root/bench/target/bench-work"
mkdir -p "$work"
results="$work/results.tsv" notes="$work/notes.txt" machine="$work/machine.tsv"
: >"$results"; : >"$notes"; : >"$machine"
tally_jar="$root/service/target/tally.jar"
tally_launcher="$root/bin/tally"
bench_jar="$root/bench/target/benchmarks.jar"
service_pid=""

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "${3:-NA}" >>"$results"; }
note() { log "note: $*"; printf '%s\n' "${*//$root\//}" >>"$notes"; }
now_ns() { date +%s%N; }
seconds_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
kib_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }

stop_service() {
  [[ -n "$service_pid" ]] || return 0
  kill -TERM "$service_pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  service_pid=""
}
trap stop_service EXIT

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

ensure_tool() {
  command -v "$1" >/dev/null && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing $1"
    apt-get install -y -q "$1" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$1" >/dev/null 2>&1; } || true
  fi
  command -v "$1" >/dev/null
}

# --- build and tools ---------------------------------------------------------------------------------
if [[ $build == 1 ]]; then
  log "building service and bench jars"
  (cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl service,bench -am package ${TALLY_MVN_FLAGS:-})
fi
[[ -f "$tally_jar" && -f "$bench_jar" ]] || { echo "missing $tally_jar or $bench_jar: build first" >&2; exit 1; }
have_jq=1 have_wrk=1
ensure_tool jq || { have_jq=0; note "jq is not installed: jq step skipped"; }
ensure_tool wrk || { have_wrk=0; note "wrk is not installed: read API load test skipped"; }
[[ -x /usr/bin/time ]] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 1; }

# --- machine -----------------------------------------------------------------------------------------
{
  printf 'Date (UTC)\t%s\n' "$(date -u '+%Y-%m-%d %H:%M')"
  printf 'CPU\t%s, %s cores\n' "$(lscpu | sed -n 's/^Model name: *//p' | head -1)" "$(nproc)"
  printf 'RAM\t%s\n' "$(free -h | awk '/^Mem:/ { print $2 }')"
  printf 'Disk\t%s\n' "$(findmnt -n -o SOURCE,FSTYPE --target "$work" | tr -s ' ' | sed 's/ / (/; s/$/)/'), $(df -h --output=size "$work" | tail -1 | tr -d ' ')"
  printf 'OS\t%s, kernel %s\n' "$(. /etc/os-release && echo "$PRETTY_NAME")" "$(uname -r)"
  printf 'JDK\t%s\n' "$(java -version 2>&1 | head -2 | tail -1)"
  printf 'Tools\tDuckDB JDBC 1.4.4.0; %s; %s; curl %s\n' "$(jq --version 2>/dev/null || echo 'no jq')" \
    "$(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }' || echo 'no wrk')" "$(curl --version | awk 'NR == 1 { print $2 }')"
  printf 'Tally commit\t%s%s\n' "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$([[ -z "$(git -C "$root" --no-optional-locks status --porcelain --untracked-files=no 2>/dev/null)" ]] || echo ' with uncommitted changes')"
  printf 'Load average at start\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$machine"

generate() {   # $1 = bytes, $2 = file
  if ! java -jar "$tally_jar" generate --size "$1" --seed "$seed" --out "$2.tmp" 2>/dev/null; then
    # A jar built before the generate command was registered: the same generator, called directly.
    printf '%s\n' 'public class Generate { public static void main(String[] a) throws Exception {' \
      'try (var o = new java.io.BufferedOutputStream(new java.io.FileOutputStream(a[2]), 1 << 20)) {' \
      'new tally.sample.BookmarkGenerator(Long.parseLong(a[1])).write(o, Long.parseLong(a[0])); } } }' \
      >"$work/Generate.java"
    java -cp "$tally_jar" "$work/Generate.java" "$1" "$seed" "$2.tmp"
  fi
  mv "$2.tmp" "$2"
}

# --- data --------------------------------------------------------------------------------------------
data="$work/bookmarks-$seed-$size.jsonl"
if [[ ! -s "$data" ]]; then
  log "generating $size bytes, seed $seed"
  generate "$size" "$data"
fi
record input_bytes 0 "$(stat -c %s "$data")"
record input_lines 0 "$(wc -l <"$data")"
cat "$data" >/dev/null   # page cache: every tool reads a warm file, as in the reference DuckDB figure

# --- steps -------------------------------------------------------------------------------------------
start_service() {   # $1 = label, rest = JVM options; sets service_pid, service_url; records startup
  local label="$1"; shift
  local port dir t0
  port="$(free_port)"; dir="$(mktemp -d "$work/data-$label.XXXX")"
  t0="$(now_ns)"
  # As the README and the deploy tool start it: through the launcher (the class-data-sharing archive the
  # build made, the launcher's JVM options), with any extra JVM options of this step.
  TALLY_JAVA_OPTS="$*" "$tally_launcher" --port "$port" --data-dir "$dir" \
    >"$work/service-$label.log" 2>&1 &
  service_pid=$!
  service_url="http://127.0.0.1:$port"
  for _ in $(seq 1 3000); do
    if curl -fsS -o /dev/null "$service_url/readyz" 2>/dev/null; then
      startup="$(seconds_since "$t0")"; return 0
    fi
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 0.01
  done
  note "service ($label) did not become ready; see $work/service-$label.log"
  stop_service
  return 1
}

peak_rss_mb() { kib_to_mb "$(awk '/^VmHWM:/ { print $2 }' "/proc/$service_pid/status")"; }

run_duckdb() {
  local json
  if json="$(java -cp "$bench_jar" tally.bench.DuckDbJob "$data" "$work/rows-duckdb.tsv" 2 2>"$work/duckdb.err")"; then
    record duckdb_rows_s "$1" "$(jq -r .rows_seconds <<<"$json")"
    record duckdb_rows_json_id_s "$1" "$(jq -r .rows_json_id_seconds <<<"$json")"
    record duckdb_rows_varchar_id_s "$1" "$(jq -r .rows_varchar_id_seconds <<<"$json")"
    record duckdb_aggregates_s "$1" "$(jq -r .aggregates_seconds <<<"$json")"
    record duckdb_rows "$1" "$(jq -r .rows <<<"$json")"
  else
    note "run $1: DuckDB failed: $(tail -1 "$work/duckdb.err")"
    record duckdb_rows_s "$1" NA
  fi
}

run_stats() {
  rm -f "$work/rows-stats.tsv"
  if /usr/bin/time -f '%e %M' -o "$work/time-stats" \
      "$tally_launcher" stats "$data" --out "$work/rows-stats.tsv" --summary "$work/summary-stats.json" \
      >"$work/stats.log" 2>&1; then
    read -r wall kib <"$work/time-stats"
    record stats_s "$1" "$wall"
    record stats_rss_mb "$1" "$(kib_to_mb "$kib")"
    record stats_rows "$1" "$(wc -l <"$work/rows-stats.tsv")"
  else
    note "run $1: stats mode failed: $(grep -v '^Command exited' "$work/stats.log" | tail -1)"
    record stats_s "$1" NA
  fi
}

run_stats_cds() {   # the same run as plain `java -jar`, without the launcher's options: reported, not a target
  if /usr/bin/time -f '%e' -o "$work/time-stats-cds" java -jar "$tally_jar" \
      stats "$data" --out "$work/rows-stats.tsv" --summary "$work/summary-stats.json" >"$work/stats.log" 2>&1; then
    record stats_cds_s "$1" "$(cat "$work/time-stats-cds")"
  fi
}

post_file() {   # $1 = dataset name, $2 = response file; prints "HTTP_CODE SECONDS"
  # As a user sends it, with curl's defaults: no extra header (curl adds Expect: 100-continue, which the
  # server must answer at once). -T streams the file as it reads it; --data-binary would read all of it
  # into curl's memory first (about 1.1 s for 206 MB here), time the server spends waiting.
  curl -sS -o "$2" -w '%{http_code} %{time_total}' -X POST -T "$data" "$service_url/api/datasets?name=$1" || true
}

wrk_get() {   # $1 = run, $2 = key suffix, $3 = dataset id: one wrk run, requests/s and p99 recorded
  wrk -t2 -c64 -d"$wrk_duration" --latency "$service_url/api/datasets/$3" >"$work/wrk$2.txt" 2>&1 || true
  record "wrk_rps$2" "$1" "$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk$2.txt")"
  record "wrk_p99_ms$2" "$1" "$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' "$work/wrk$2.txt")"
  if grep -q 'Non-2xx' "$work/wrk$2.txt"; then note "run $1: wrk saw $(grep 'Non-2xx' "$work/wrk$2.txt" | tr -s ' ')"; fi
}

upload() {   # $1 = run; uploads $data four times to one service, records times and RSS, runs wrk
  local code seconds id
  # A fresh JVM runs the job's code interpreted and then compiles it: the first upload pays for that,
  # the second still partly (the JIT keeps compiling), from the third on the time is steady. All three
  # are reported; the 4th upload stands for a service that has been running a while.
  read -r code seconds <<<"$(post_file "bench-$1-first" "$work/upload-cold.json")"
  [[ "$code" == 201 ]] && record upload_cold_s "$1" "$seconds" || record upload_cold_s "$1" NA
  read -r code seconds <<<"$(post_file "bench-$1-second" "$work/upload-second.json")"
  [[ "$code" == 201 ]] && record upload_second_s "$1" "$seconds" || record upload_second_s "$1" NA
  post_file "bench-$1-third" "$work/upload-third.json" >/dev/null
  read -r code seconds <<<"$(post_file "bench-$1" "$work/upload.json")"
  if [[ "$code" != 201 ]]; then
    note "run $1: upload answered ${code:-nothing}: $(head -c 300 "$work/upload.json" 2>/dev/null)"
    record upload_s "$1" NA
    return 1
  fi
  record upload_s "$1" "$seconds"
  record service_rss_mb "$1" "$(peak_rss_mb)"
  record upload_rows "$1" "$(jq -r '.counters.kept // "NA"' "$work/upload.json")"
  id="$(jq -r .id "$work/upload.json")"
  [[ $have_wrk == 1 ]] || return 0
  # The first run meets a read path the JIT has not compiled yet (the uploads ran other code); the
  # second is the service's steady state. Both are reported; the target is judged on the second.
  wrk_get "$1" _cold "$id"
  wrk_get "$1" "" "$id"
}

run_jq() {
  local t0
  t0="$(now_ns)"
  if jq -R -r -f "$root/bench/stats.jq" "$data" | LC_ALL=C sort -s -t "$(printf '\t')" -k1,1 -S 25% >"$work/rows-jq.tsv"; then
    record jq_s "$1" "$(seconds_since "$t0")"
    record jq_rows "$1" "$(wc -l <"$work/rows-jq.tsv")"
  else
    note "run $1: jq failed"
  fi
}

ratio() {   # $1 = name, $2 = numerator key, $3 = denominator key, $4 = run
  local a b
  a="$(awk -v k="$2" -v r="$4" -F'\t' '$1 == k && $2 == r { print $3 }' "$results")"
  b="$(awk -v k="$3" -v r="$4" -F'\t' '$1 == k && $2 == r { print $3 }' "$results")"
  if [[ -n "$a" && -n "$b" && "$a" != NA && "$b" != NA ]]; then
    record "$1" "$4" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')"
  fi
}

# A busy machine gives figures that say more about the other work than about Tally or DuckDB.
load_1m="$(cut -d' ' -f1 /proc/loadavg)"
if [[ $smoke == 0 && $allow_load == 0 ]] && awk -v l="$load_1m" 'BEGIN { exit !(l > 1.0) }'; then
  echo "bench/run.sh: the load average is $load_1m (above 1.0): wait for a quiet machine, or pass --allow-load" >&2
  exit 3
fi

for run in $(seq 1 "$runs"); do
  note "run $run: load average $(cut -d' ' -f1-3 /proc/loadavg) at its start"
  log "run $run of $runs: DuckDB"
  run_duckdb "$run"
  log "run $run: stats mode"
  run_stats "$run"
  run_stats_cds "$run"
  log "run $run: service start-up, upload, wrk"
  if start_service "run$run"; then
    record startup_s "$run" "$startup"
    upload "$run" || true
    stop_service
  fi
  rm -rf "$work"/data-run"$run".*
  if [[ $have_jq == 1 ]]; then log "run $run: jq"; run_jq "$run"; fi
  ratio duckdb_over_stats duckdb_rows_s stats_s "$run"
  ratio duckdb_over_stats_cds duckdb_rows_s stats_cds_s "$run"
  ratio duckdb_over_upload duckdb_rows_s upload_s "$run"
  ratio duckdb_over_upload_cold duckdb_rows_s upload_cold_s "$run"
  ratio duckdb_over_upload_second duckdb_rows_s upload_second_s "$run"
  ratio upload_cold_over_warm upload_cold_s upload_s "$run"
  ratio duckdb_over_aggregates duckdb_rows_s duckdb_aggregates_s "$run"
  ratio duckdb_over_jq duckdb_rows_s jq_s "$run"
  note "run $run: load average $(cut -d' ' -f1-3 /proc/loadavg) at its end"
done

if [[ $big == 1 ]]; then
  big_data="$work/bookmarks-$seed-$big_size.jsonl"
  if [[ ! -s "$big_data" ]]; then
    log "generating $big_size bytes for the memory test"
    generate "$big_size" "$big_data"
  fi
  record big_input_bytes 0 "$(stat -c %s "$big_data")"
  log "memory: $(stat -c %s "$big_data") bytes uploaded to a service under -Xmx256m"
  if start_service big -Xmx256m; then
    # -T streams the file; --data-binary would first read all of it into curl's memory.
    result="$(curl -sS -o "$work/upload-big.json" -w '%{http_code} %{time_total}' -H 'Expect:' -X POST \
      -H 'Content-Type: application/x-ndjson' -T "$big_data" "$service_url/api/datasets?name=big")" || true
    read -r code seconds <<<"$result"
    record big_upload_status 1 "${code:-0}"
    [[ "$code" == 201 ]] && record big_upload_s 1 "$seconds" || note "1 GB upload answered ${code:-nothing}: $(head -c 300 "$work/upload-big.json")"
    record big_rss_mb 1 "$(peak_rss_mb)"
    stop_service
  fi
  rm -rf "$work"/data-big.*
  [[ $smoke == 1 ]] && rm -f "$big_data"
fi

if [[ $jmh == 1 ]]; then
  log "JMH: TagStatsJobBenchmark -prof gc"
  jmh_args=(TagStatsJobBenchmark -prof gc -rf json -rff "$work/jmh.json")
  [[ $smoke == 1 ]] && jmh_args+=(-wi 0 -i 1 -r 1s -f 1)
  if java -jar "$bench_jar" "${jmh_args[@]}" >"$work/jmh.log" 2>&1; then
    for t in 1 2; do
      pick=".[] | select(.params.threads == \"$t\")"
      record "jmh_records_s_t$t" 1 "$(jq "$pick | .primaryMetric.score" "$work/jmh.json")"
      record "jmh_mb_s_t$t" 1 "$(jq "$pick | .secondaryMetrics.inputBytes.score / 1e6" "$work/jmh.json")"
      record "jmh_alloc_per_record_t$t" 1 "$(jq "$pick | .secondaryMetrics[\"gc.alloc.rate.norm\"].score" "$work/jmh.json")"
    done
  else
    note "JMH failed: $(grep -m1 -E 'Exception|Error' "$work/jmh.log" || tail -1 "$work/jmh.log")"
  fi
fi

log "allocation per record, every thread counted (Epsilon GC)"
for t in 1 2; do
  if json="$(java -Xlog:disable -Xlog:all=warning:stderr -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -XX:-UseTLAB -Xms4g -Xmx4g \
      -cp "$bench_jar" tally.bench.JobAllocation "$t" 2>"$work/alloc.err")"; then
    record "alloc_per_record_t$t" 1 "$(jq .bytes_per_record <<<"$json")"
  else
    note "allocation count with $t thread(s) failed: $(tail -1 "$work/alloc.err")"
  fi
done

mkdir -p "$(dirname "$out")"
java -cp "$bench_jar" tally.bench.BenchmarkReport "$results" "$machine" "$notes" "$command" "$mode" "$out"
# Profiles are read by a person, not measured by this script: they are kept in one file and appended.
[[ -f "$root/bench/profile-notes.md" ]] && { echo; cat "$root/bench/profile-notes.md"; } >>"$out"
log "wrote $out"
