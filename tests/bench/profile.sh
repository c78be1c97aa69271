#!/usr/bin/env bash
# profile.sh - where `autogen check` spends its time and memory.
#
#   tests/bench/profile.sh [--tables N] [--gitlab] [--build DIR] [--out DIR]
#
# Loads one data set (a synthetic schema of N tables, default 5000, or the
# GitLab models of gitlab_models.py) into a throwaway cluster, then profiles
# one `autogen check` with the unchanged models:
#   perf record --call-graph dwarf   -> top functions by self and by total time
#   valgrind --tool=massif           -> the allocation sites at peak heap
# Reports go to OUT (default /tmp/ag-profile-<set>): perf-self.txt,
# perf-children.txt, massif.txt (the peak snapshot), massif-sites.txt, and
# the -v timings in timings.txt.
# perf comes from linux-perf (installed with apt-get when missing).
# The build should be RelWithDebInfo (the default of run-bench.sh's build)
# so that symbols resolve.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
n=5000
set_name=""
build=$root/build-bench
out=""
gitlab_sql=${AG_GITLAB_SQL:-$root/../shared/fixtures/real/gitlab/schema.sql}
while [[ $# -gt 0 ]]; do
    case $1 in
    --tables) n=$2; shift 2 ;;
    --gitlab) set_name=gitlab; shift ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --inner) shift; break ;;
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "profile: unknown argument $1" >&2; exit 2 ;;
    esac
done
set_name=${set_name:-s$n}

if [[ -n ${AG_PROFILE_INNER:-} ]]; then
    o=$AG_PROFILE_OUT
    createdb bench
    if [[ -d $AG_PROFILE_MODELS ]]; then
        for f in "$AG_PROFILE_MODELS"/*.sql; do
            psql -X -q -1 -v ON_ERROR_STOP=1 -d bench -f "$f" >/dev/null
        done
    else
        psql -X -q -v ON_ERROR_STOP=1 -d bench -f "$AG_PROFILE_MODELS" >/dev/null 2>&1
    fi
    psql -X -q -d bench -c ANALYZE
    cmd=("$AG_PROFILE_AUTOGEN" check --url dbname=bench --models "$AG_PROFILE_MODELS" -v)
    "${cmd[@]}" >/dev/null 2>&1 || true # warm caches
    "${cmd[@]}" 2>&1 | grep timing >"$o/timings.txt" || true
    perf record -q -F 1000 --call-graph dwarf,16384 -o "$o/perf.data" -- "${cmd[@]}" >/dev/null 2>&1 || true
    valgrind -q --tool=massif --massif-out-file="$o/massif.out" "${cmd[@]}" >/dev/null 2>&1 || true
    exit 0
fi

command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
out=${out:-/tmp/ag-profile-$set_name}
mkdir -p "$out"
chmod 755 "$out"
if [[ $set_name == gitlab ]]; then
    models=$out/gitlab.sql
    python3 "$here/gitlab_models.py" "$gitlab_sql" "$models" 2>/dev/null
else
    rm -rf "$out/gen"
    python3 "$here/gen_schema.py" "$n" "$out/gen"
    models=$out/gen/base
fi
AG_PROFILE_INNER=1 AG_PROFILE_OUT=$out AG_PROFILE_MODELS=$models \
    AG_PROFILE_AUTOGEN=$build/autogen \
    "$build/tests/with-postgres" --set max_locks_per_transaction=1024 -- "$here/profile.sh" --inner

perf report -i "$out/perf.data" --no-children --sort symbol -g none --percent-limit 0.7 2>/dev/null |
    grep -E '^ +[0-9]' >"$out/perf-self.txt" || true
perf report -i "$out/perf.data" --children --sort symbol -g none --percent-limit 3 2>/dev/null |
    grep -E '^ +[0-9]' | grep -v '0x0000' >"$out/perf-children.txt" || true
# massif: the peak snapshot's allocation tree, and its bytes summed per
# autogen/loader call site (the tree itself is deep in protobuf-c frames)
ms_print --threshold=0.5 "$out/massif.out" >"$out/massif-all.txt" 2>/dev/null || true
peak=$(grep -o '[0-9]* (peak)' "$out/massif-all.txt" | cut -d' ' -f1 || true)
awk -v p="$peak" '$1 == p && $2 ~ /^[0-9,]+$/ {f = 1} f && /^-----/ && n++ > 0 {exit} f' \
    "$out/massif-all.txt" >"$out/massif.txt"
grep -E ' (ag|ld|load|expand|resolve|column|dispatch)_?[a-z_]* \(' "$out/massif.txt" |
    sed 's/^[ |]*->//' |
    awk '{gsub(/[(),B]/, "", $2); a[$4 " " $5] += $2}
         END {for (k in a) printf "%8.1f MB  %s\n", a[k] / 1e6, k}' |
    sort -rn | head -15 >"$out/massif-sites.txt" || true
echo "== $set_name: timings"; cat "$out/timings.txt"
echo "== self time (top)"; head -25 "$out/perf-self.txt"
echo "== total time, including callees (top)"; head -45 "$out/perf-children.txt"
echo "== peak heap (massif snapshot $peak; tree in $out/massif.txt)"
head -2 "$out/massif.txt"
echo "-- bytes at the peak by call site (a site's bytes include its callees'):"
cat "$out/massif-sites.txt"
