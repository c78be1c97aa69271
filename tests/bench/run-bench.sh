#!/usr/bin/env bash
# run-bench.sh - how fast autogen is and how its cost grows with the schema.
#
#   tests/bench/run-bench.sh [--sizes "100 1000 5000 10000"] [--runs 3]
#                            [--no-gitlab] [--build DIR] [--no-build] [--keep]
#                            [--out FILE]
#
# A benchmark, not a test: it prints a table and the targets of issue 3 next
# to the figures, and exits 0 unless something broke (a load failed, or
# `check` found drift where there is none / not exactly the generated
# changes - that is a correctness failure, exit 1).  Missed performance
# targets are reported, not failed.
#
# For each data set - a synthetic schema of N tables (gen_schema.py) and
# GitLab's structure.sql without its 14 views (gitlab_models.py --no-views)
# - in one throwaway cluster with pg_stat_statements preloaded:
#   load it, ANALYZE (a live database has catalog statistics), warm up, then
#   RUNS times, interleaved so machine load hits all of them alike:
#     autogen check (unchanged models)   -v timings, wall, peak RSS, no drift
#     autogen check (1%-changed models)  finds exactly expected.txt
#     autogen diff  (1%-changed models)  wall, peak RSS
#     pg_dump --schema-only              wall, peak RSS: reading the whole catalog
#   then, with pg_stat_statements reset, RUNS more checks and one pg_dump, to
#   count the statements each tool sent and the server time per statement.
# GitLab with its views is timed apart (check wall, dev database seconds):
# a failure there is reported, not fatal.
# Medians and growth are computed by report.py.  Needs python3 and GNU time;
# installs them with apt-get when missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
sizes="100 1000 5000 10000"
runs=3
gitlab=1
build=$root/build-bench
keep=0
do_build=1
out=""
gitlab_sql=${AG_GITLAB_SQL:-$root/../shared/fixtures/real/gitlab/schema.sql}

usage() { sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --no-gitlab) gitlab=0; shift ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --keep) keep=1; shift ;;
    --no-build) do_build=0; shift ;;
    --out) out=$2; shift 2 ;;
    --inner) shift; break ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run-bench: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# ---------------------------------------------------------------------------
# inner part: runs under with-postgres (PGHOST etc. point at the cluster)
# ---------------------------------------------------------------------------
if [[ -n ${AG_BENCH_INNER:-} ]]; then
    work=$AG_BENCH_WORK
    autogen=$AG_BENCH_AUTOGEN
    results=$work/results.tsv
    psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
    psql_q -d postgres -c "CREATE EXTENSION pg_stat_statements" >/dev/null
    psql -X -At -d postgres -c "SELECT version()" >"$work/server-version.txt"
    psql -X -At -d postgres -c "SELECT name || '=' || setting FROM pg_settings WHERE name IN ('shared_buffers','work_mem','fsync','max_locks_per_transaction','jit') ORDER BY 1" >"$work/server-settings.txt"

    rec() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$results"; }
    # The dev-database cache (docs/architecture.md) lives in the work dir,
    # never ~/.cache; the GitLab-with-views runs below clear it for "cold".
    export AUTOGEN_CACHE_DIR=$work/cache
    # The seconds of autogen's "timing: dev database (...) in N s (cache x)".
    devdb_secs() { awk '/timing: dev database/ {for (i = 1; i < NF; i++) if ($i == "in") print $(i + 1)}' "$1"; }

    # run_timed TAG CMD... : wall seconds into $tag.wall, peak RSS (KB) into
    # $tag.rss; stdout/stderr into $tag.out/$tag.err.  Returns CMD's status.
    run_timed() {
        local tag=$1; shift
        local t0 t1 rc=0
        t0=$EPOCHREALTIME
        /usr/bin/time -f "%M %U %S" -o "$tag.rss.raw" "$@" >"$tag.out" 2>"$tag.err" || rc=$?
        t1=$EPOCHREALTIME
        # GNU time puts "Command exited with non-zero status N" first.
        # CPU seconds (user + system, all threads) are steadier than wall
        # time on a machine shared with other work.
        tail -n 1 "$tag.rss.raw" | awk '{print $1}' >"$tag.rss"
        tail -n 1 "$tag.rss.raw" | awk '{printf "%.2f\n", $2 + $3}' >"$tag.cpu"
        echo "$t0 $t1" | awk '{printf "%.4f\n", $2 - $1}' >"$tag.wall"
        return $rc
    }

    # Record the -v timings of one autogen run.
    rec_timings() {
        local ds=$1 prefix=$2 run=$3 err=$4
        awk -v ds="$ds" -v p="$prefix" -v r="$run" '
            /timing: models parsed in/ {
                gsub(/[(),]/, " "); printf "%s\t%sparse_s\t%s\t%s\n%s\t%smodel_mb\t%s\t%s\n%s\t%sparse_mbps\t%s\t%s\n%s\t%smodel_objects\t%s\t%s\n",
                    ds, p, r, $6, ds, p, r, $8, ds, p, r, $10, ds, p, r, $12 }
            /timing: database read in/ {
                gsub(/[(),]/, " "); printf "%s\t%sread_s\t%s\t%s\n%s\t%squeries\t%s\t%s\n%s\t%sdb_objects\t%s\t%s\n",
                    ds, p, r, $6, ds, p, r, $8, ds, p, r, $10 }
            /timing: diff in/ {
                gsub(/[(),]/, " "); printf "%s\t%sdiff_s\t%s\t%s\n%s\t%sops\t%s\t%s\n", ds, p, r, $5, ds, p, r, $7 }
        ' "$err" >>"$results"
    }

    # The objects a check run names, one "<sign> <kind> <object>" per line.
    drift_objects() {
        awk '/^[-+~] / {
                if ($2 == "constraint") print $1, $2, $3, $4, $5;
                else if ($2 == "enum") { o = $4; sub(/:$/, "", o); print $1, $2, $3, o }
                else { o = $3; sub(/:$/, "", o); print $1, $2, o } }' "$1" | sort
    }

    pgss_reset() { psql -X -q -At -d postgres -c "SELECT pg_stat_statements_reset()" >/dev/null; }
    # pgss_dump DB FILE: the statements sent to DB since the reset: calls,
    # total ms, min ms, rows, query
    pgss_dump() {
        psql -X -At -F $'\t' -d postgres -v db="$1" >"$2" <<'SQL'
SELECT s.calls, round(s.total_exec_time::numeric, 2),
       round(s.min_exec_time::numeric, 2), s.rows,
       left(regexp_replace(s.query, '\s+', ' ', 'g'), 90)
FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
WHERE d.datname = :'db'
ORDER BY s.total_exec_time DESC;
SQL
    }

    bench_dataset() {
        local ds=$1 db=$2 base=$3 changed=$4 expected=$5
        local d=$work/runs/$ds
        mkdir -p "$d"
        local url="dbname=$db"

        log "$ds: warm-up"
        "$autogen" check --url "$url" --models "$base" >/dev/null 2>&1 || true
        pg_dump --schema-only -d "$db" -f /dev/null

        for ((r = 1; r <= runs; r++)); do
            log "$ds: run $r/$runs"
            local rc=0
            run_timed "$d/check-$r" "$autogen" check --url "$url" --models "$base" -v || rc=$?
            rec "$ds" check_rc "$r" "$rc"
            rec "$ds" check_wall_s "$r" "$(cat "$d/check-$r.wall")"
            rec "$ds" check_rss_kb "$r" "$(cat "$d/check-$r.rss")"
            rec "$ds" check_cpu_s "$r" "$(cat "$d/check-$r.cpu")"
            rec_timings "$ds" "" "$r" "$d/check-$r.err"
            if [[ $rc -ne 0 ]] || ! grep -q '^No drift' "$d/check-$r.out"; then
                rec "$ds" check_clean "$r" 0
                log "$ds: check on the unchanged database exited $rc:"
                head -20 "$d/check-$r.out" "$d/check-$r.err" >&2
            else
                rec "$ds" check_clean "$r" 1
            fi

            run_timed "$d/dump-$r" pg_dump --schema-only -d "$db" -f /dev/null
            rec "$ds" pgdump_wall_s "$r" "$(cat "$d/dump-$r.wall")"
            rec "$ds" pgdump_rss_kb "$r" "$(cat "$d/dump-$r.rss")"
            rec "$ds" pgdump_cpu_s "$r" "$(cat "$d/dump-$r.cpu")"

            if [[ -n $changed ]]; then
                rc=0
                run_timed "$d/changed-$r" "$autogen" check --url "$url" --models "$changed" -v || rc=$?
                rec "$ds" changed_rc "$r" "$rc"
                rec "$ds" changed_wall_s "$r" "$(cat "$d/changed-$r.wall")"
                rec "$ds" changed_rss_kb "$r" "$(cat "$d/changed-$r.rss")"
                rec_timings "$ds" changed_ "$r" "$d/changed-$r.err"
                drift_objects "$d/changed-$r.out" >"$d/found-$r.txt"
                local nexp nfound nmiss nextra
                nexp=$(wc -l <"$expected")
                nfound=$(wc -l <"$d/found-$r.txt")
                nmiss=$(comm -23 "$expected" "$d/found-$r.txt" | wc -l)
                nextra=$(comm -13 "$expected" "$d/found-$r.txt" | wc -l)
                rec "$ds" changes_expected "$r" "$nexp"
                rec "$ds" changes_found "$r" "$nfound"
                rec "$ds" changes_missing "$r" "$nmiss"
                rec "$ds" changes_unexpected "$r" "$nextra"
                if [[ $rc -ne 2 || $nmiss -ne 0 || $nextra -ne 0 ]]; then
                    log "$ds: check on the changed models: exit $rc, $nmiss missing, $nextra unexpected"
                    comm -3 "$expected" "$d/found-$r.txt" | head -20 >&2
                fi
                run_timed "$d/diff-$r" "$autogen" diff --url "$url" --models "$changed" -v || true
            else
                run_timed "$d/diff-$r" "$autogen" diff --url "$url" --models "$base" -v || true
            fi
            rec "$ds" diff_wall_s "$r" "$(cat "$d/diff-$r.wall")"
            rec "$ds" diff_rss_kb "$r" "$(cat "$d/diff-$r.rss")"
        done

        # statements sent, and server time per statement: RUNS more checks
        # (min per statement steadies the linearity figure), one pg_dump
        log "$ds: pg_stat_statements"
        pgss_reset
        for ((r = 1; r <= runs; r++)); do
            "$autogen" check --url "$url" --models "$base" >/dev/null 2>&1 || true
        done
        pgss_dump "$db" "$d/pgss-autogen.tsv"
        pgss_reset
        pg_dump --schema-only -d "$db" -f /dev/null
        pgss_dump "$db" "$d/pgss-pgdump.tsv"
        local f k
        for f in autogen pgdump; do
            k=$([[ $f == autogen ]] && echo "$runs" || echo 1)
            rec "$ds" "${f}_statements" 0 "$(awk -F'\t' -v k="$k" '{n += $1} END {print n / k}' "$d/pgss-$f.tsv")"
            rec "$ds" "${f}_selects" 0 "$(awk -F'\t' -v k="$k" 'tolower($5) ~ /^ *(select|with)/ {n += $1} END {print n / k}' "$d/pgss-$f.tsv")"
            rec "$ds" "${f}_server_ms" 0 "$(awk -F'\t' -v k="$k" '{t += $2} END {printf "%.1f\n", t / k}' "$d/pgss-$f.tsv")"
        done
    }

    load_db() { # DB FILE...
        local db=$1; shift
        createdb "$db"
        local t0=$EPOCHREALTIME f
        for f in "$@"; do
            psql_q -1 -d "$db" -f "$f" >/dev/null 2>"$work/load-$db.err" || {
                log "loading $f into $db failed:"; head -20 "$work/load-$db.err" >&2; return 1; }
        done
        psql_q -d "$db" -c "ANALYZE" >/dev/null
        rec "$db" load_s 0 "$(echo "$t0 $EPOCHREALTIME" | awk '{printf "%.2f", $2 - $1}')"
    }

    for n in $AG_BENCH_SIZES; do
        log "tables=$n: loading"
        load_db "s$n" "$work/gen/$n"/base/*.sql
        bench_dataset "s$n" "s$n" "$work/gen/$n/base" "$work/gen/$n/changed" "$work/gen/$n/expected.txt"
        dropdb "s$n"
    done
    if [[ $AG_BENCH_GITLAB == 1 ]]; then
        log "gitlab: loading"
        # (not in one transaction: pg_trgm's CREATE EXTENSION is in there)
        createdb gitlab
        t0=$EPOCHREALTIME
        psql_q -d gitlab -f "$work/gitlab.sql" >/dev/null 2>"$work/load-gitlab.err" || {
            log "loading gitlab failed:"; head -20 "$work/load-gitlab.err" >&2; exit 1; }
        psql_q -d gitlab -c "ANALYZE" >/dev/null
        rec gitlab load_s 0 "$(echo "$t0 $EPOCHREALTIME" | awk '{printf "%.2f", $2 - $1}')"
        bench_dataset gitlab gitlab "$work/gitlab.sql" "" ""
        # The same with its views: their canonical forms come from a dev
        # database (a throwaway cluster autogen starts, loads and drops on
        # each run), so that cost is measured here, on its own.
        log "gitlab-views: loading"
        createdb gitlab_views
        psql_q -d gitlab_views -f "$work/gitlab-views.sql" >/dev/null 2>"$work/load-gitlab-views.err" || {
            log "loading gitlab with views failed:"; head -20 "$work/load-gitlab-views.err" >&2; exit 1; }
        psql_q -d gitlab_views -c "ANALYZE" >/dev/null
        d=$work/runs/gitlab-views
        mkdir -p "$d"
        for ((r = 1; r <= runs; r++)); do
            log "gitlab-views: run $r/$runs"
            rc=0
            rm -rf "$AUTOGEN_CACHE_DIR" # cold: the dev database runs
            run_timed "$d/check-$r" "$autogen" check --url dbname=gitlab_views \
                --models "$work/gitlab-views.sql" -v || rc=$?
            rec gitlab-views check_rc "$r" "$rc"
            rec gitlab-views check_wall_s "$r" "$(cat "$d/check-$r.wall")"
            rec gitlab-views check_rss_kb "$r" "$(cat "$d/check-$r.rss")"
            rec gitlab-views devdb_s "$r" "$(devdb_secs "$d/check-$r.err")"
            if [[ $rc -ne 0 ]]; then
                log "gitlab-views: check exited $rc (not counted as a benchmark failure):"
                grep -v timing "$d/check-$r.err" | head -3 >&2
            fi
        done
        # Warm: the last cold run left its entry; these are cache hits.
        for ((r = 1; r <= runs; r++)); do
            log "gitlab-views: warm run $r/$runs"
            run_timed "$d/warm-$r" "$autogen" check --url dbname=gitlab_views \
                --models "$work/gitlab-views.sql" -v || true
            rec gitlab-views warm_wall_s "$r" "$(cat "$d/warm-$r.wall")"
            rec gitlab-views warm_devdb_s "$r" "$(devdb_secs "$d/warm-$r.err")"
        done
    fi
    exit 0
fi

# ---------------------------------------------------------------------------
# outer part: dependencies, build, data, then the inner part under a cluster
# ---------------------------------------------------------------------------
need_pkg=()
command -v python3 >/dev/null || need_pkg+=(python3)
[[ -x /usr/bin/time ]] || need_pkg+=(time)
if [[ ${#need_pkg[@]} -gt 0 ]]; then
    log "installing ${need_pkg[*]}"
    apt-get update -qq && apt-get install -y -qq "${need_pkg[@]}" >/dev/null
fi

if [[ $do_build == 1 ]]; then
    log "building $build"
    cmake -S "$root" -B "$build" -DAG_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j2 --target autogen with-postgres >/dev/null
fi
for exe in "$build/autogen" "$build/tests/with-postgres"; do
    [[ -x $exe ]] || { echo "run-bench: $exe missing (build first, or drop --no-build)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/ag-bench-XXXXXX)
chmod 755 "$work"
# shellcheck disable=SC2317 # called by the trap
cleanup() {
    if [[ $keep == 1 ]]; then
        log "work files kept in $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
: >"$work/results.tsv"

{
    echo "date $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores $(nproc)"
    echo "memory_gb $(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)"
    echo "kernel $(uname -r)"
    echo "load_before $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "autogen $("$build/autogen" --version 2>&1 | head -1)"
    echo "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "build $(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2)"
    echo "pg_dump $(pg_dump --version)"
    echo "runs $runs"
} >"$work/machine.txt"

t_start=$EPOCHREALTIME
for n in $sizes; do
    log "generating $n tables"
    python3 "$here/gen_schema.py" "$n" "$work/gen/$n"
done
if [[ $gitlab == 1 ]]; then
    if [[ -f $gitlab_sql ]]; then
        python3 "$here/gitlab_models.py" --no-views "$gitlab_sql" "$work/gitlab.sql" 2>"$work/gitlab-filter.txt"
        python3 "$here/gitlab_models.py" "$gitlab_sql" "$work/gitlab-views.sql" 2>/dev/null
    else
        log "no GitLab schema at $gitlab_sql: skipping it"
        gitlab=0
    fi
fi

status=0
AG_BENCH_INNER=1 AG_BENCH_WORK=$work AG_BENCH_AUTOGEN=$build/autogen \
    AG_BENCH_SIZES=$sizes AG_BENCH_GITLAB=$gitlab \
    "$build/tests/with-postgres" \
    --set shared_preload_libraries=pg_stat_statements \
    --set pg_stat_statements.track_utility=on \
    --set max_locks_per_transaction=1024 \
    -- "$here/run-bench.sh" --runs "$runs" --inner || status=$?
echo "load_after $(cut -d' ' -f1-3 /proc/loadavg)" >>"$work/machine.txt"
echo "bench_minutes $(echo "$t_start $EPOCHREALTIME" | awk '{printf "%.1f", ($2 - $1) / 60}')" >>"$work/machine.txt"
if [[ $status -ne 0 ]]; then
    log "the benchmark failed (status $status)"
    keep=1
    exit "$status"
fi

report_rc=0
if [[ -n $out ]]; then
    python3 "$here/report.py" "$work" | tee "$out" || report_rc=$?
else
    python3 "$here/report.py" "$work" || report_rc=$?
fi
exit "$report_rc"
