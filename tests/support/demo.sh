#!/usr/bin/env bash
# demo.sh - watch autogen bring a database in line with its model files.
#
# Installs what is missing (install-deps.sh), builds autogen, starts a
# throwaway PostgreSQL (with-postgres), loads fixtures/example/database.sql
# (a small shop), and then, echoing each command first:
#   autogen check   -> exit 2 and the list of differences from fixtures/example/models/
#   autogen diff    -> the upgrade SQL
#   psql -f         -> applies it
#   autogen check   -> exit 0: database and models agree
# Fails (non-zero) when any step does not behave like that.  The cluster is
# removed at the end.  BUILD_DIR overrides the build directory (build-demo/).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

# Print a command the way one would type it (on stderr, so that output
# redirected to a file stays clean), then run it.
show() {
    local out="$" a
    for a in "$@"; do
        if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
            out+=" $a"
        else
            out+=" '${a//\'/\'\\\'\'}'"
        fi
    done
    if [[ -t 2 ]]; then
        printf '\n\033[1m%s\033[0m\n' "$out" >&2
    else
        printf '\n%s\n' "$out" >&2
    fi
    "$@"
}

fail() {
    echo "demo: FAILED: $*" >&2
    exit 1
}

if [[ "${1:-}" != --inside-cluster ]]; then
    build=${BUILD_DIR:-build-demo}
    tests/support/install-deps.sh
    show cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    show cmake --build "$build" -j2 --target autogen with-postgres
    echo
    echo "# Starting a throwaway PostgreSQL on a Unix socket (removed afterwards)."
    exec "$build/tests/with-postgres" -- "$root/tests/support/demo.sh" --inside-cluster "$build"
fi

# ---- inside the cluster: PGHOST/PGUSER point at it ----
build=$2
autogen=$build/autogen
models=fixtures/example/models
url="postgresql:///shop?host=$PGHOST&user=postgres"
upgrade=$(mktemp "${TMPDIR:-/tmp}/autogen-demo-XXXXXX.sql")
trap 'rm -f "$upgrade"' EXIT

echo "# The database as it runs today: fixtures/example/database.sql"
show psql -X -q -c "CREATE DATABASE shop" || fail "CREATE DATABASE"
show psql -X -q -v ON_ERROR_STOP=1 -d shop -f fixtures/example/database.sql ||
    fail "loading fixtures/example/database.sql"

echo
echo "# The models in $models describe where it should be.  Are they in sync?"
rc=0
show "$autogen" check --url "$url" --models "$models" || rc=$?
[[ $rc -eq 2 ]] || fail "autogen check should report drift (exit 2), got exit $rc"
echo "# -> exit $rc: drift"

echo
echo "# What SQL would bring the database to the models?"
rc=0
show "$autogen" diff --url "$url" --models "$models" >"$upgrade" || rc=$?
cat "$upgrade"
[[ $rc -eq 0 ]] || fail "autogen diff failed with exit $rc"
grep -q '[^[:space:]]' "$upgrade" || fail "autogen diff printed no SQL"

echo
echo "# Apply it:"
show psql -X -q -v ON_ERROR_STOP=1 -d shop -f "$upgrade" || fail "applying the upgrade SQL"

echo
echo "# And check again:"
rc=0
show "$autogen" check --url "$url" --models "$models" || rc=$?
[[ $rc -eq 0 ]] || fail "autogen check after the upgrade should exit 0, got exit $rc"
echo "# -> exit 0: the database matches the models."
