#!/usr/bin/env bash
# Ingest, export and rank on SQLite and on a local ClickHouse cluster of 1 and 2 shards, the
# same generated hours for each; prints one line per step with wall seconds and peak RSS.
#
#   swift build -c release
#   .build/release/kaiyuan-bench generate --hours 24 --events 100000 --seed 2 --dir /tmp/bench2 --from 2025-03-01
#   bash bench/store-bench.sh /tmp/bench2 [WORKDIR]
#
# Needs clickhouse-server (Debian's 18.16 works); the clusters are started and stopped here.
set -euo pipefail
hours_dir=${1:?usage: store-bench.sh HOURS_DIR [WORKDIR]}
work=${2:-/tmp/store-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
k="$root/.build/release/kaiyuan"
mkdir -p "$work"
mapfile -t all < <(ls "$hours_dir"/*.json.gz | sort -V)
six=("${all[@]:0:6}")

step() { # label, command…
    local label=$1; shift
    local t; t=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$work/err"; } 2>&1 | tail -1 ) || true
    local line; line=$(tail -1 "$work/err")
    read -r secs kb <<<"$line"
    printf '%-46s %8s s %7s MB\n' "$label" "$secs" "$((kb / 1024))"
}

run_store() { # name, location, clear command
    local name=$1 location=$2 clear=$3
    eval "$clear"; step "$name: ingest 6 hours" "$k" ingest gharchive --store "$location" "${six[@]}"
    eval "$clear"; step "$name: ingest ${#all[@]} hours" "$k" ingest gharchive --store "$location" "${all[@]}"
    step "$name: compute openrank" "$k" compute openrank --store "$location"
    step "$name: rank repos --by activity" "$k" rank repos --store "$location" --by activity --period 2025
    rm -rf "$work/export-$name"
    step "$name: export opendigger" "$k" export opendigger --store "$location" --out "$work/export-$name"
}

run_store sqlite "$work/bench.db" "rm -f '$work'/bench.db*"
for shards in 1 2; do
    cluster="$work/ch$shards"
    bash "$root/scripts/clickhouse-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$cluster"
    bash "$root/scripts/clickhouse-cluster.sh" start "$cluster" "$shards" >/dev/null
    nodes=$(sed 's|http://||; s|/$||' "$cluster/nodes" | paste -sd,)
    location="clickhouse://$nodes/bench?cluster=kaiyuan"
    clear="for u in \$(cat '$cluster/nodes'); do curl -sS --data-binary 'DROP DATABASE IF EXISTS bench' \$u >/dev/null; done"
    run_store "clickhouse-$shards" "$location" "$clear"
    bash "$root/scripts/clickhouse-cluster.sh" stop "$cluster" >/dev/null
done
if diff -rq "$work/export-sqlite" "$work/export-clickhouse-2" >/dev/null && diff -rq "$work/export-sqlite" "$work/export-clickhouse-1" >/dev/null; then
    echo "exports: byte-identical ($(find "$work/export-sqlite" -type f | wc -l) files)"
else
    echo "exports DIFFER"
fi
