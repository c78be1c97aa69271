#!/usr/bin/env bash
# run-tests.sh - build autogen with warnings as errors and (by default)
# AddressSanitizer + UndefinedBehaviorSanitizer, then run every test with
# ctest.  The server-backed tests start their own throwaway PostgreSQL
# (tests/support/with-postgres); no running server is needed.
#
#   tests/support/run-tests.sh             # sanitizers on, build dir build-tests/
#   AG_SANITIZE=OFF tests/support/run-tests.sh   # plain build, build-tests-nosan/
#   BUILD_DIR=... CTEST_ARGS="-R cases" tests/support/run-tests.sh
#
# Exits with ctest's status.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

tests/support/install-deps.sh

sanitize=${AG_SANITIZE:-ON}
case "${sanitize^^}" in
    ON | 1 | YES | TRUE) sanitize=ON; default_build="build-tests" ;;
    OFF | 0 | NO | FALSE) sanitize=OFF; default_build="build-tests-nosan" ;;
    *) echo "run-tests: AG_SANITIZE must be ON or OFF, not '$sanitize'" >&2; exit 2 ;;
esac
build=${BUILD_DIR:-$root/$default_build}

echo "run-tests: configuring $build (AG_SANITIZE=$sanitize, AG_WERROR=ON)"
cmake -S "$root" -B "$build" -DAG_WERROR=ON -DAG_SANITIZE="$sanitize" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j2

# Sanitizers: stop at the first UBSan finding, with a stack trace, so that a
# report cannot scroll by in a passing run.  Leak checking needs ptrace-like
# powers that some containers deny; probe once and say so if it is off.
asan_base="abort_on_error=0:halt_on_error=1:print_stacktrace=1:strict_string_checks=1"
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:report_error_type=1}
if [[ -z "${ASAN_OPTIONS:-}" ]]; then
    export ASAN_OPTIONS="$asan_base:detect_leaks=1"
    if [[ $sanitize == ON ]] &&
        "$build/tests/with-postgres" --help 2>&1 >/dev/null | grep -q "LeakSanitizer has encountered a fatal error"; then
        echo "run-tests: LeakSanitizer cannot run here (no ptrace?); leak checks are off" >&2
        export ASAN_OPTIONS="$asan_base:detect_leaks=0"
    fi
fi

# The corpus runner appends one line per schema here; shown after the run.
export AUTOGEN_CORPUS_REPORT="$build/corpus-report.txt"
rm -f "$AUTOGEN_CORPUS_REPORT"

status=0
# shellcheck disable=SC2086 # CTEST_ARGS is a list of words on purpose
(cd "$build" && ctest --output-on-failure ${CTEST_ARGS:-}) || status=$?

if [[ -s "$AUTOGEN_CORPUS_REPORT" ]]; then
    echo
    echo "run-tests: corpus report (autogen check and scripted edits on ../shared/fixtures/real):"
    sort "$AUTOGEN_CORPUS_REPORT"
fi
exit "$status"
