#!/usr/bin/env bash
# One cache in many hands, walked as a person uses it, for SECONDS (default 600): the reader open
# in tmux, starring a post and pressing R every few seconds; a cron-like `agora sync` loop; marks
# from another shell; replies written on a test forum (agora-test-forum, on 127.0.0.1) all along.
# At the end: SQLite's integrity_check, every star the reader made and every mark whose command
# exited 0 present, and what it did.
#   scripts/walk-many-hands.sh [SECONDS] [path/to/agora]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
agora="$(realpath "${2:-.build/debug/agora}")"
forum_bin="$(dirname "$agora")/agora-test-forum"
[ -x "$forum_bin" ] || swift build --product agora-test-forum >&2
[ -x "$forum_bin" ] || forum_bin="$(swift build --product agora-test-forum --show-bin-path)/agora-test-forum"
work="$(mktemp -d)"
socket="agora-walk-$$"
cache="$work/walk.sqlite"
tm() { tmux -L "$socket" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; exec 7>&- 2>/dev/null || true; kill "$forum_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# The forum, told what to write through a pipe.
mkfifo "$work/forum-in"
"$forum_bin" --topics 200 --posts 800 --users 20 < "$work/forum-in" > "$work/forum-out" &
forum_pid=$!
exec 7> "$work/forum-in"
for _ in $(seq 100); do [ -s "$work/forum-out" ] && break; sleep 0.1; done
url="$(head -1 "$work/forum-out")"
"$agora" --cache "$cache" sources add "$url" > /dev/null
"$agora" --cache "$cache" sync --rate 0 > /dev/null
total=$("$agora" --cache "$cache" list --limit 0 | grep -oE '^[0-9]+')
echo "walk: a forum of $total topics at $url; $seconds s" >&2

tm new-session -d -s walk -x 120 -y 40 "env TERM=xterm-256color XDG_CONFIG_HOME=$work/config $agora --cache $cache; echo \$? > $work/reader-status; sleep 600"
for _ in $(seq 100); do tm capture-pane -p -t walk | grep -q "Topic" && break; sleep 0.1; done

end=$((SECONDS + seconds))
# cron: a sync every 7 seconds
( while [ $SECONDS -lt $end ]; do "$agora" --cache "$cache" sync --rate 0 > /dev/null 2>&1 || true; sleep 7; done ) &
cron=$!
# another shell: mark posts read one by one, noting those whose command said done
ids=$("$agora" --cache "$cache" list --json --limit 1000 --sort oldest | grep -oE '"id" : "[^"]+"' | cut -d'"' -f4)
( for id in $ids; do
      [ $SECONDS -lt $end ] || break
      if "$agora" --cache "$cache" mark read "$id" > /dev/null 2>&1; then echo "$id" >> "$work/marked"; fi
      sleep 1
  done ) &
marker=$!
# the forum: a reply every 5 seconds
( n=0; while [ $SECONDS -lt $end ]; do n=$((n + 1)); echo "reply $((1000 + n % 100)) member1 Reply $n from the walk" >&7; sleep 5; done ) &
writer=$!

# the reader: star the next post, and R, every 4 seconds
stars=0
while [ $SECONDS -lt $end ]; do
    tm send-keys -t walk j; sleep 0.3
    tm send-keys -t walk s; stars=$((stars + 1)); sleep 0.3
    tm send-keys -t walk R; sleep 3.4
done
wait "$cron" "$marker" "$writer" 2>/dev/null || true
# the reader's last background sync ends, then it quits
for _ in $(seq 300); do tm capture-pane -p -t walk | grep -q "Syncing" || break; sleep 0.2; done
tm send-keys -t walk q; sleep 0.5; tm send-keys -t walk q
for _ in $(seq 100); do [ -s "$work/reader-status" ] && break; sleep 0.1; done

query() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$cache" "$1"; }
integrity=$(query "pragma integrity_check")
starred=$(query "select count(*) from postState where isStarred = 1")
marked=$(sort -u "$work/marked" 2>/dev/null | grep -c . || true)
missing=0
for id in $(sort -u "$work/marked" 2>/dev/null); do
    [ "$(query "select s.isRead from post p join postState s on s.post = p.rowid where p.id = '$id'")" = 1 ] || missing=$((missing + 1))
done
replies=$(query "select count(*) from comment where body like '%from the walk%'")
echo "walk: $seconds s; integrity_check: $integrity; reader: $stars stars made, $starred starred in the cache, exit $(cat "$work/reader-status" 2>/dev/null || echo '?'); another shell: $marked posts marked read, $missing of them missing; $replies replies from the forum in the cache"
[ "$integrity" = ok ] && [ "$starred" = "$stars" ] && [ "$missing" = 0 ] && [ "$(cat "$work/reader-status" 2>/dev/null)" = 0 ]
