#!/usr/bin/env bash
# Times `agora import` of the common feed workload (../shared/bench/gen_feed.py, 100,000 items
# by default) into a new cache, with wall time and peak memory from /usr/bin/time, and newsboat
# on the same file when it is installed (`newsboat -x reload` with a file:// URL).
#   scripts/bench-import.sh [ITEMS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
items=${1:-100000}
runs=${2:-3}
source scripts/bench-common.sh
bench_work bench-import
feed="$work/feed.xml"
python3 ../shared/bench/gen_feed.py "$items" "$feed" >&2
bench_machine
echo "Feed: $items items, $(( $(stat -c %s "$feed") / 1048576 )) MiB"
agora_imports "$feed" "$runs"
echo "Cache: $(( $(stat -c %s "$work/cache.sqlite") / 1048576 )) MiB"
if command -v newsboat >/dev/null 2>&1; then
    echo "file://$feed" > "$work/urls"
    : > "$work/config"
    for run in $(seq 1 "$runs"); do
        rm -f "$work"/newsboat.db*
        measure "newsboat" newsboat -u "$work/urls" -c "$work/newsboat.db" -C "$work/config" -x reload
    done
    echo "newsboat cache: $(( $(stat -c %s "$work/newsboat.db") / 1048576 )) MiB ($(newsboat --version | head -1))"
else
    echo "newsboat is not installed (apt-get install newsboat) — skipped"
fi
