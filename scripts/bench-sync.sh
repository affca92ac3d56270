#!/usr/bin/env bash
# Times `agora sync` of a Discourse forum: the test forum (Tests/agora-test-forum) on 127.0.0.1
# generates 2,000 topics, 30,000 posts and 3,000 members; agora mirrors it with the rate limit
# off (--rate 0), then syncs it again with nothing changed. Reports wall and CPU time, posts per
# second of CPU, peak memory (from /usr/bin/time) and the requests each sync made.
#   scripts/bench-sync.sh [TOPICS] [POSTS] [MEMBERS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
topics=${1:-2000}
posts=${2:-30000}
members=${3:-3000}
runs=${4:-3}
source scripts/setup.sh
release_build --static-swift-stdlib --product agora
release_build --product agora-test-forum
[ -x /usr/bin/time ] || { echo "bench-sync: /usr/bin/time is needed (Debian package time)" >&2; exit 1; }
work=$(mktemp -d /tmp/agora-bench-sync.XXXXXX)
mkfifo "$work/forum.in"
.build/release/agora-test-forum --topics "$topics" --posts "$posts" --users "$members" < "$work/forum.in" > "$work/forum.out" &
forum_pid=$!
exec 7> "$work/forum.in"
trap 'exec 7>&-; wait "$forum_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
url=""
for _ in $(seq 100); do url="$(head -1 "$work/forum.out" 2>/dev/null || true)"; [ -n "$url" ] && break; sleep 0.1; done
[ -n "$url" ] || { echo "bench-sync: the test forum did not start" >&2; exit 1; }
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
echo "Date: $(date -u +%Y-%m-%d)"
echo "Forum: $topics topics, $posts posts, $members members (agora-test-forum at $url)"
measure() {  # label, then the command; prints wall, CPU, peak memory, and the sync's figures
    local label=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/out.json" 2> "$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
    read -r wall user sys kib < "$work/time.txt"
    python3 - "$label" "$wall" "$user" "$sys" "$kib" "$work/out.json" <<'PY'
import json, sys
label, wall, user, system, kib, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
report = json.load(open(path))[0]
cpu = user + system
posts = report.get("added", 0) + report.get("updated", 0) + report.get("commentsAdded", 0) + report.get("commentsUpdated", 0)
rate = f"{posts / cpu:8.0f} posts/s CPU" if posts else "              -"
print(f"{label:<13} {wall:6.2f} s wall  {cpu:6.2f} s CPU  {rate}  {kib // 1024:4d} MiB  {report.get('requests', 0):5d} requests  "
      f"{posts} posts written, status {report['status']}")
PY
}
for run in $(seq 1 "$runs"); do
    rm -f "$work"/cache.sqlite*
    .build/release/agora --cache "$work/cache.sqlite" sources add "$url" > /dev/null
    measure "first sync" .build/release/agora --cache "$work/cache.sqlite" sync --rate 0 --json
    measure "second sync" .build/release/agora --cache "$work/cache.sqlite" sync --rate 0 --json
done
echo "Cache: $(( $(stat -c %s "$work/cache.sqlite") / 1048576 )) MiB; forum answered $(echo requests >&7; sleep 0.5; tail -1 "$work/forum.out") requests in all"
