#!/usr/bin/env bash
# The pipeline's stages, one entry each: the Jenkinsfile, .ci/run and a person at a shell all call this
# script, so the commands cannot drift (jenkins/src/test/java checks that the stage lists agree).
#
#   jenkins/stages.sh STAGE...    run the named stages in order
#   jenkins/stages.sh all         run every stage below, in order, against the local rehearsal
#   jenkins/stages.sh list        print the stage names, in order
#
# Environment:
#   TALLY_DEPLOY_TARGET  rehearsal (default) starts moto_server and local instances through
#                        deploy/rehearsal.sh; aws uses the real account (Jenkins: credentials come from
#                        withCredentials, TALLY_DEPLOY_BUCKET and TALLY_DEPLOY_REGION name the place).
#   TALLY_VERSION        the release version; default: see release_version below.
#   TALLY_MVN_FLAGS      extra Maven flags, e.g. "-o" to stay offline.
# shellcheck disable=SC2317 # the stage functions are called by name (run_stage), which shellcheck cannot see
set -euo pipefail

# The stage names, in pipeline order. `all` runs exactly these.
STAGES=(setup build unit async db ui deploy-tests spark fuzz quality bench-smoke readme package publish release-staging smoke-staging)
# After a person approves the promotion in Jenkins, against AWS only; not part of `all`.
PROMOTION_STAGES=(release-production smoke-production)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

TARGET=${TALLY_DEPLOY_TARGET:-rehearsal}
JAR=service/target/tally.jar
# Where the db tests find initdb and pg_ctl (Debian's postgresql-15); they read TALLY_PG_BIN too.
PG_BIN=${TALLY_PG_BIN:-/usr/lib/postgresql/15/bin}
# Maven in batch mode without download progress; TALLY_MVN_FLAGS adds flags (e.g. -o, offline).
MVN=(mvn -B -ntp)
if [[ -n "${TALLY_MVN_FLAGS:-}" ]]; then
  read -r -a extra_flags <<<"$TALLY_MVN_FLAGS"
  MVN+=("${extra_flags[@]}")
fi

log() { printf '==> %s\n' "$*"; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# The release version: the project version without -SNAPSHOT, then the Jenkins build number when there
# is one (each Jenkins build publishes new bytes, and publish refuses to overwrite a version with other
# bytes), then the short commit. Examples: 0.1.0-3f2a9c1 (CI, a laptop), 0.1.0-b42.3f2a9c1 (Jenkins).
release_version() {
  if [[ -n "${TALLY_VERSION:-}" ]]; then
    printf '%s\n' "$TALLY_VERSION"
    return
  fi
  local base commit
  # The parent pom's own <version> is the first one in the file (its <parent> has none).
  base=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | sed -n 1p)
  [[ -n "$base" ]] || die "cannot read the project version from pom.xml"
  base=${base%-SNAPSHOT}
  commit=$(git rev-parse --short=7 HEAD 2>/dev/null || echo nogit)
  if [[ -n "${BUILD_NUMBER:-}" ]]; then
    printf '%s-b%s.%s\n' "$base" "$BUILD_NUMBER" "$commit"
  else
    printf '%s-%s\n' "$base" "$commit"
  fi
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

stage_setup() {
  local missing=()
  # Debian's chromium and its matching driver: the UI tests drive them offline (no driver download).
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  # Lints the stage script and the instances' bootstrap script in the tests (skipped without it).
  command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
  # PostgreSQL 15's binaries: the db tests run initdb and pg_ctl themselves, on a port of their own. The
  # cluster the Debian package may create and start is not used.
  [[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql-15)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
  if ! command -v moto_server >/dev/null 2>&1; then
    log "installing moto_server (the EC2 and S3 emulator of the deploy tests and the rehearsal)"
    # A Debian system Python refuses plain pip installs (PEP 668); moto is a test tool, so allow it there.
    python3 -m pip install --quiet 'moto[server]' ||
      python3 -m pip install --quiet --break-system-packages 'moto[server]' ||
      die "moto_server is missing and pip could not install it"
    hash -r
    command -v moto_server >/dev/null 2>&1 || die "moto installed but moto_server is not on PATH ($(python3 -m site --user-base)/bin?)"
  fi
  command -v java >/dev/null 2>&1 || die "java is missing: install a JDK 17"
  command -v mvn >/dev/null 2>&1 || die "mvn is missing: install Apache Maven 3.8 or newer"
  # sed, not head: head exits after one line, and the writer's SIGPIPE fails the stage under pipefail.
  java -version 2>&1 | sed -n 1p
  mvn -v 2>&1 | sed -n 1p
  chromium --version 2>/dev/null | sed -n 1p || true
  chromedriver --version 2>/dev/null | sed -n 1p || true
  "$PG_BIN/postgres" --version 2>/dev/null || true
  log "moto_server: $(command -v moto_server)"
  log "release version: $(release_version)"
}

stage_build() {
  # Compiles main and test code and installs the modules, so later stages call goals without
  # rebuilding; tests run in their own stages.
  "${MVN[@]}" -DskipTests -Dtally.quality.skip=true install
}

# One tag's tests, without recompiling: the JaCoCo agent writes target/jacoco-TAG.exec, which the quality
# stage merges; surefire writes target/surefire-reports/TEST-*.xml, which Jenkins records.
run_tests() {
  local tag=$1
  shift
  "${MVN[@]}" -Dtally.groups="$tag" -Dtally.coverage.part="$tag" "$@" \
    jacoco:prepare-agent@tally-agent surefire:test
}

stage_unit() { run_tests unit; }
stage_async() { run_tests async; }
stage_ui() { run_tests ui; }

stage_db() {
  # tally load against a real PostgreSQL the tests start; missing PostgreSQL fails here, not skips.
  TALLY_REQUIRE_DB=1 run_tests db
}

stage_deploy_tests() {
  # Missing moto must fail here, not skip (the tests skip only where nobody asked for them).
  TALLY_REQUIRE_MOTO=1 run_tests deploy
}

# The Spark job in local mode, in-process (spark/): its own stage because a SparkContext costs seconds to
# start and its tests compare whole runs with the single-machine job; the other stages never select them.
# Then the launcher once, as a person runs it: the built job jar on Spark's jars from classpath.txt (a
# class the jar lacks and the cluster's classpath would not give fails here, not on EMR), against `stats`.
stage_spark() {
  run_tests spark
  [[ -s "$JAR" ]] || die "$JAR is missing: run the build stage first"
  local dir
  dir=$(mktemp -d)
  java -jar "$JAR" generate --size 2M --out "$dir/in.jsonl" >/dev/null
  java -jar "$JAR" stats "$dir/in.jsonl" --out "$dir/rows.tsv" --summary "$dir/summary.json"
  spark/bin/tally-spark-local "$dir/in.jsonl" "$dir/out" --partitions 3 --split-bytes 500000
  [[ -e "$dir/out/_SUCCESS" ]] || die "tally-spark-local wrote no _SUCCESS"
  cat "$dir"/out/part-* | cmp - "$dir/rows.tsv" || die "tally-spark-local rows differ from tally stats"
  cmp "$dir/out/summary.json" "$dir/summary.json" || die "tally-spark-local summary differs from tally stats"
  rm -rf "$dir"
  log "tally-spark-local: rows and summary identical to tally stats"
}

stage_quality() {
  # Reads what the test stages left (no test runs here): coverage floor, SpotBugs, PMD, CPD.
  # --fail-at-end: one run reports every module's failures, not only the first.
  "${MVN[@]}" --fail-at-end jacoco:merge@tally-merge jacoco:report@tally-report jacoco:check@tally-check \
    spotbugs:check pmd:check pmd:cpd-check
  jenkins/line-count.sh
}

# Coverage-guided fuzzing (Jazzer), each target for TALLY_FUZZ_SECONDS (default 10): the line parser against
# its oracle, the multipart and gzip body stages. Jazzer fuzzes one target per JVM, so one Maven run each;
# a finding fails the stage and is written to target's module dir as crash-*: add it under
# src/test/resources/.../<Class>Inputs/<method>/ and it is replayed from then on.
FUZZ_TARGETS=(
  "job:LineFuzzTest#any_line_gets_the_oracles_verdict_and_a_well_formed_row"
  "service:StagesFuzzTest#a_multipart_body_is_read_or_refused_with_a_problem"
  "service:StagesFuzzTest#a_gzip_body_is_decoded_or_refused_with_a_problem"
)

stage_fuzz() {
  local target module test
  for target in "${FUZZ_TARGETS[@]}"; do
    module=${target%%:*}
    test=${target#*:}
    log "fuzzing $test for ${TALLY_FUZZ_SECONDS:-10}s"
    JAZZER_FUZZ=1 "${MVN[@]}" -pl "$module" -Dtally.groups=fuzz -Dtest="$test" \
      -Djazzer.instrument='tally.**,io.undertow.util.**' -Djazzer.max_duration="${TALLY_FUZZ_SECONDS:-10}s" \
      surefire:test
  done
}

stage_readme() {
  # The README's quick start and shell examples, run as written (blocks marked <!-- run -->), so the
  # docs cannot drift from the code.
  jenkins/readme-check.sh
}

stage_bench_smoke() {
  # The benchmark suite on a 2 MB file, once: proves the script, the JMH jar and the DuckDB comparison
  # still run. No timing is asserted (a shared agent's timings mean nothing); the real table comes from
  # bench/run.sh on a quiet machine (docs/benchmarks.md).
  bench/run.sh --smoke --no-build
}

stage_package() {
  local version
  version=$(release_version)
  # Rebuild the service jar stamped with the release version: the deploy tool's health gate compares
  # /version with it.
  "${MVN[@]}" -DskipTests -Dtally.quality.skip=true -Dtally.release.version="$version" \
    -pl service -am package
  [[ -s "$JAR" ]] || die "$JAR was not built"
  local stamped
  stamped=$(python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("tally-version.properties").decode())' "$JAR" |
    sed -n 's/^version=//p' | tr -d '\r')
  [[ "$stamped" == "$version" ]] ||
    die "$JAR reports version '$stamped', expected '$version' (tally-version.properties must read \${tally.release.version})"
  sha256sum "$JAR" | tee "$JAR.sha256"
  log "packaged $JAR as version $version"
}

# The deploy tool: its runnable jar through deploy/bin/tally-deploy.
deploy_tool() { deploy/bin/tally-deploy "$@"; }

# In the rehearsal, every deploy stage runs against one moto_server; it starts with the first deploy
# stage of a run and stops when the script exits. In Jenkins (TALLY_DEPLOY_TARGET=aws) it is AWS itself.
REHEARSAL_UP=
rehearsal_up() {
  [[ "$TARGET" == rehearsal ]] || return 0
  [[ -z "$REHEARSAL_UP" ]] || return 0
  if [[ -n "${TALLY_REHEARSAL_ENV:-}" ]]; then
    return 0 # an outer run (or a person) already started it and exported its environment
  fi
  deploy/rehearsal.sh up >/dev/null # its exports come from `env` below
  REHEARSAL_UP=1
  eval "$(deploy/rehearsal.sh env)"
  export TALLY_REHEARSAL_ENV=1
}
rehearsal_down() {
  if [[ -n "$REHEARSAL_UP" ]]; then
    REHEARSAL_UP=
    deploy/rehearsal.sh down || printf 'warning: deploy/rehearsal.sh down failed\n' >&2
  fi
}

require_aws_settings() {
  [[ "$TARGET" == aws ]] || return 0
  [[ -n "${TALLY_DEPLOY_BUCKET:-}" ]] || die "TALLY_DEPLOY_BUCKET is not set"
  [[ -n "${TALLY_DEPLOY_REGION:-}" ]] || die "TALLY_DEPLOY_REGION is not set"
  # The SDK's default chain reads the region from here when the tool is not told otherwise.
  export AWS_REGION=${AWS_REGION:-$TALLY_DEPLOY_REGION}
}

stage_publish() {
  [[ -s "$JAR" ]] || die "$JAR is missing: run the package stage first"
  require_aws_settings
  rehearsal_up
  deploy_tool publish --version "$(release_version)" --jar "$JAR"
}

stage_release_staging() {
  require_aws_settings
  rehearsal_up
  deploy_tool release --env staging --version "$(release_version)" --count 1
}

stage_smoke_staging() {
  require_aws_settings
  rehearsal_up
  deploy_tool smoke --env staging
}

# Production is only ever the real account, reached from Jenkins after the gated promotion; it is not
# part of `all`.
stage_release_production() {
  [[ "$TARGET" == aws ]] || die "release-production runs against AWS only (TALLY_DEPLOY_TARGET=aws)"
  require_aws_settings
  deploy_tool release --env production --version "$(release_version)" --count "${TALLY_PRODUCTION_COUNT:-2}"
}

stage_smoke_production() {
  [[ "$TARGET" == aws ]] || die "smoke-production runs against AWS only (TALLY_DEPLOY_TARGET=aws)"
  require_aws_settings
  deploy_tool smoke --env production
}

# One closing line over every JUnit report of the run (the five test stages each end with Maven's last
# module, often one without tests of that tag, so no single Maven summary speaks for the whole suite).
test_totals() {
  python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for path in glob.glob("*/target/surefire-reports/TEST-*.xml"):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests", 0))
    failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped += int(suite.get("skipped", 0))
print(f"tests: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
}

CURRENT_STAGE=
STAGE_STARTED=0
# One exit path: a failing command anywhere (set -e) names the stage it broke and how long it ran, and a
# rehearsal this run started is stopped.
on_exit() {
  local status=$?
  if ((status != 0)) && [[ -n "$CURRENT_STAGE" ]]; then
    printf '==> stage %s: FAILED after %ds (exit %d)\n' "$CURRENT_STAGE" $((SECONDS - STAGE_STARTED)) "$status" >&2
  fi
  rehearsal_down
  exit "$status"
}
trap on_exit EXIT

run_stage() {
  local name=$1 fn
  fn="stage_${name//-/_}"
  declare -F "$fn" >/dev/null || die "unknown stage '$name' (stages: ${STAGES[*]} ${PROMOTION_STAGES[*]}, or all)"
  CURRENT_STAGE=$name
  STAGE_STARTED=$SECONDS
  log "stage $name: start ($(date -u +%H:%M:%S) UTC)"
  "$fn"
  log "stage $name: ok in $((SECONDS - STAGE_STARTED))s"
  CURRENT_STAGE=
}

main() {
  (($#)) || die "usage: jenkins/stages.sh STAGE... | all | list   (stages: ${STAGES[*]})"
  local all_started=$SECONDS name
  for name in "$@"; do
    case "$name" in
      list) printf '%s\n' "${STAGES[@]}" ;;
      all)
        for stage in "${STAGES[@]}"; do run_stage "$stage"; done
        log "all ${#STAGES[@]} stages passed in $((SECONDS - all_started))s"
        test_totals
        ;;
      *) run_stage "$name" ;;
    esac
  done
}

# One group, parsed whole before it runs: bash reads a script as it goes, so an edit to this file
# during a run cannot leak into it.
{
  main "$@"
  exit $?
}
