#!/usr/bin/env bash
# End-to-end test of the reader as a person uses it: agora runs in tmux at a fixed size, keys
# are typed with send-keys and the screen is read with capture-pane.
#   scripts/tui-e2e.sh [path/to/agora]     (default: .build/debug/agora)
set -euo pipefail
cd "$(dirname "$0")/.."
agora="$(realpath "${1:-.build/debug/agora}")"
work="$(mktemp -d)"
socket="agora-e2e-$$"
passed=0
failed=0
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT

tm() { tmux -L "$socket" "$@"; }
screen() { tm capture-pane -p -t e2e 2>/dev/null || true; }
check() {  # check NAME: prints a result line
    if [ "$2" = ok ]; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAILED: $1"; screen | sed 's/^/    | /'; fi
}
wait_for() {  # wait_for TEXT [SECONDS]: until TEXT is on screen
    local deadline=$((SECONDS + ${2:-10}))
    while [ $SECONDS -lt $deadline ]; do
        if screen | grep -qF -- "$1"; then return 0; fi
        sleep 0.1
    done
    return 1
}
expect() { if wait_for "$2" "${3:-10}"; then check "$1" ok; else check "$1" no; fi; }
keys() { tm send-keys -t e2e "$@"; sleep 0.2; }
resize() { tm resize-window -t e2e -x "$1" -y "$2"; sleep 0.3; }
exited() {  # exited: the reader ended and left its status
    local deadline=$((SECONDS + 10))
    while [ $SECONDS -lt $deadline ]; do [ -s "$work/status" ] && return 0; sleep 0.1; done
    return 1
}

sampled() {  # sampled CACHE: a cache with the sample community, made unless it is there
    [ -e "$1" ] || "$agora" --cache "$1" import --sample > /dev/null 2>&1
}

start() {  # start WIDTH HEIGHT CACHE [ENV-AND-ARGUMENTS]: the reader in a fresh session
    sampled "$3"
    rm -f "$work/status"
    tm new-session -d -s e2e -x "$1" -y "$2" \
        "env XDG_CONFIG_HOME=$work/config TERM=xterm-256color ${4:-} $agora --cache $3 ${5:-}; echo \$? > $work/status; sleep 30"
}
stop() { keys Q; tm kill-session -t e2e 2>/dev/null || true; }
coloured() { tm capture-pane -p -e -t e2e | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|38;5;|48;5;)'; }

run_session() {  # run_session WIDTH HEIGHT TERM LABEL
    local width=$1 height=$2 term=$3 label=$4 cache="$work/$4.sqlite"
    sampled "$cache"
    rm -f "$work/status"
    tm new-session -d -s e2e -x "$width" -y "$height" \
        "env XDG_CONFIG_HOME=$work/config TERM=$term XDG_DATA_HOME=$work/data $agora --cache $cache; echo \$? > $work/status; sleep 30"
    expect "$label: the reader opens on the sample" "Diplo Internet Governance Community"
    expect "$label: the post list shows the post" "ITU Secretary General"
    keys Enter
    expect "$label: Enter opens the post and shows its body" "concluded World Conference"
    expect "$label: the byline shows the views" "146 views"
    keys m
    [ "$width" -ge 120 ] || expect "$label: m shows the roster" "Members 46"
    keys G Enter
    expect "$label: the roster opens Xu Jing's profile" "China · member"
    keys Escape
    expect "$label: Esc comes back to the article" "concluded World Conference"
    resize 60 20
    if screen | grep -q "Terminal too small"; then check "$label: 60x20 is not too small" no; else check "$label: 60x20 draws a pane" ok; fi
    resize "$width" "$height"
    expect "$label: back at ${width}x${height} the article is where it was" "concluded World Conference"
    keys '?'
    expect "$label: ? shows the help" "Help: keys"
    keys Escape q q q q
    if exited && [ "$(cat "$work/status")" = 0 ]; then check "$label: q quits with status 0" ok; else check "$label: q quits with status 0" no; fi
    tm kill-session -t e2e 2>/dev/null || true
    local unread
    unread="$("$agora" --cache "$cache" list --unread --json | tr -d ' \n')"
    if [ "$unread" = "[]" ]; then check "$label: list --unread --json shows the post read" ok; else check "$label: list --unread --json shows the post read ($unread)" no; fi
}

run_session 120 40 xterm-256color "120x40"
run_session 80 24 vt100 "80x24-vt100"

# Other terminal types open and quit cleanly.
sampled "$work/t.sqlite"
for term in screen-256color tmux-256color linux; do
    rm -f "$work/status"
    tm new-session -d -s e2e -x 100 -y 30 "env TERM=$term $agora --cache $work/t.sqlite; echo \$? > $work/status; sleep 30"
    if wait_for "Diplo Internet Governance Community"; then
        keys Q
        if exited && [ "$(cat "$work/status")" = 0 ]; then check "TERM=$term: opens and quits" ok; else check "TERM=$term: opens and quits" no; fi
    else
        check "TERM=$term: opens" no
    fi
    tm kill-session -t e2e 2>/dev/null || true
done

# Ctrl-C and SIGTERM end the reader through its own loop and give the terminal back.
sampled "$work/s.sqlite"
for how in ctrl-c sigterm; do
    rm -f "$work/status"
    tm new-session -d -s e2e -x 100 -y 30 "env XDG_CONFIG_HOME=$work/config TERM=xterm-256color $agora --cache $work/s.sqlite; echo \$? > $work/status; echo AFTER-EXIT; sleep 30"
    wait_for "Diplo Internet Governance Community" || true
    if [ "$how" = ctrl-c ]; then keys C-c; else pkill -TERM -f "^$agora --cache $work/s.sqlite" || true; fi
    if exited && wait_for "AFTER-EXIT" 5 && ! screen | grep -q "Members 46"; then
        check "$how: the reader ends and the screen is the shell's again" ok
    else
        check "$how: the reader ends and the screen is the shell's again" no
    fi
    tm kill-session -t e2e 2>/dev/null || true
done

# Whatever ends the reader gives the terminal back as it was: a hang-up through its own loop,
# a trap (SIGILL, as Swift's runtime traps), SIGSEGV and SIGABRT through the crash handler. The
# terminal's modes before and after are compared, and the alternate screen must be left.
for signal in HUP ILL SEGV ABRT; do
    rm -f "$work/status" "$work/modes-before" "$work/modes-after"
    tm new-session -d -s e2e -x 100 -y 30 "stty -g > $work/modes-before; env XDG_CONFIG_HOME=$work/config TERM=xterm-256color $agora --cache $work/s.sqlite; echo \$? > $work/status; stty -g > $work/modes-after; echo AFTER-EXIT; sleep 30"
    wait_for "Diplo Internet Governance Community" || true
    pkill -"$signal" -f "^$agora --cache $work/s.sqlite" || true
    if exited && wait_for "AFTER-EXIT" 5 && [ "$(tm display -p -t e2e '#{alternate_on}')" = 0 ] \
        && cmp -s "$work/modes-before" "$work/modes-after" && ! screen | grep -q "Members 46"; then
        check "SIG$signal: the terminal is given back as it was (status $(cat "$work/status"))" ok
    else
        check "SIG$signal: the terminal is given back as it was" no
    fi
    tm kill-session -t e2e 2>/dev/null || true
done

# A terminal agora cannot use gets a clear message, not ncurses' own exit.
sampled "$work/x.sqlite"
out="$(TERM=no-such-terminal script -qec "$agora --cache $work/x.sqlite" /dev/null 2>&1 || true)"
if echo "$out" | grep -q "agora: cannot use terminal type 'no-such-terminal'"; then check "unknown TERM: a clear message" ok; else check "unknown TERM: a clear message ($out)" no; fi
out="$(TERM=dumb script -qec "$agora --cache $work/x.sqlite" /dev/null 2>&1 || true)"
if [ "$(printf '%s\n' "$out" | grep -c .)" = 1 ] && echo "$out" | grep -q "agora: cannot use terminal type 'dumb': it cannot move the cursor"; then check "TERM=dumb: one clear line" ok; else check "TERM=dumb: one clear line ($out)" no; fi
out="$(env -u TERM script -qec "$agora --cache $work/x.sqlite" /dev/null 2>&1 || true)"
if echo "$out" | grep -q "agora: cannot use the terminal: TERM is not set"; then check "no TERM: a clear message" ok; else check "no TERM: a clear message ($out)" no; fi
out="$("$agora" --cache "$work/x.sqlite" 2>&1 < /dev/null | cat || true)"
if echo "$out" | grep -q "the reader needs a terminal"; then check "not a terminal: a clear message" ok; else check "not a terminal: a clear message ($out)" no; fi

# NO_COLOR: attributes, no colour.
start 100 30 "$work/nc.sqlite" NO_COLOR=1
wait_for "Diplo Internet Governance Community" || true
if coloured; then check "NO_COLOR: no colour on screen" no; else check "NO_COLOR: no colour on screen" ok; fi
stop

# Search as a person uses it: / and typing, a result opened, back to the results, back to the start.
start 120 30 "$work/search.sqlite"
wait_for "Diplo Internet Governance Community" || true
keys /
tm send-keys -t e2e -l "marilia"
expect "search: accents do not matter as you type" "Members (2)"
expect "search: both spellings are found" "Marília Maciel"
tm send-keys -t e2e C-u
tm send-keys -t e2e -l "wcit"
expect "search: a post found by a word of its title" "Posts (1)"
keys Enter
expect "search: Enter opens the post" "concluded World Conference"
keys n
expect "search: n steps to the next match in the article" "Match 2 of"
keys Escape
expect "search: Esc comes back to the results" "/ wcit"
keys Escape
expect "search: Esc again goes back to where search started" "Enter opens the selected post."
keys U
expect "filters: U shows unread only, in the status line" "unread only"
stop

# An import stopped after its content, before its search index: a cache that cannot be written
# is searched as far as it is indexed, with a note; the reader makes the rest while it reads,
# and search finds it.
index_complete() {  # index_complete CACHE: every post and comment is in the search index
    python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); m=dict(db.execute('SELECT what, upTo FROM searchIndexed')); sys.exit(0 if (db.execute('SELECT coalesce(max(rowid),0) FROM post').fetchone()[0] <= m['post'] and db.execute('SELECT coalesce(max(rowid),0) FROM comment').fetchone()[0] <= m['comment']) else 1)" "$1"
}
sampled "$work/unindexed.sqlite"
python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.executescript(\"INSERT INTO postSearch (postSearch) VALUES ('delete-all'); INSERT INTO commentSearch (commentSearch) VALUES ('delete-all'); UPDATE searchIndexed SET upTo = 0;\"); db.commit()" "$work/unindexed.sqlite"
chmod 444 "$work/unindexed.sqlite"
if "$agora" --cache "$work/unindexed.sqlite" search wcit 2>&1 | grep -q "indexing for search: 0 of 1 posts"; then
    check "index: agora search on a cache it cannot write says the index is not made yet" ok
else
    check "index: agora search on a cache it cannot write says the index is not made yet" no
fi
chmod 644 "$work/unindexed.sqlite"
start 120 30 "$work/unindexed.sqlite"
wait_for "Diplo Internet Governance Community" || true
keys /
tm send-keys -t e2e -l "wcit"
expect "index: the reader makes the index it lacks, and search finds the post" "Posts (1)"
stop
if index_complete "$work/unindexed.sqlite"; then check "index: after the reader, the index is complete" ok; else check "index: after the reader, the index is complete" no; fi

# A large import (more than 5,000 posts) returns with its content and says it left the index;
# the reader opens at once, says how far the index has got, and finds the last post once it is made.
python3 -c "
import sys
items = ''.join('<item><title>Item %d</title><guid>i%d</guid><description>hello word%dx</description></item>' % (i, i, i) for i in range(6000))
open(sys.argv[1], 'w').write('<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Big</title><link>http://example.org/</link>' + items + '</channel></rss>')" "$work/big.xml"
if "$agora" --cache "$work/big.sqlite" import "$work/big.xml" 2>&1 | grep -q "search index: 6,000 posts and comments still to index"; then
    check "large import: it returns with the content and says the index is left" ok
else
    check "large import: it returns with the content and says the index is left" no
fi
if index_complete "$work/big.sqlite"; then check "large import: the index is left to be made" no; else check "large import: the index is left to be made" ok; fi
start 120 30 "$work/big.sqlite"
expect "large import: the reader opens on its content" "Item 5999"
keys /
tm send-keys -t e2e -l "word5999x"
expect "large import: the reader makes the index, and search finds the last item" "Posts (1)" 30
stop
if index_complete "$work/big.sqlite"; then check "large import: after the reader, the index is complete" ok; else check "large import: after the reader, the index is complete" no; fi

# A thread of 200 comments: the first frame has its first comments, the rest is laid out after it
# (G reaches the last one).
"$agora" generate --posts 1 --members 20 --comments 200 --out "$work/long.sqlite" > /dev/null
last=$("$agora" --cache "$work/long.sqlite" show post-000000 --json | python3 -c "import json,sys; print(json.load(sys.stdin)['comments'][-1]['authorName'])")
start 120 40 "$work/long.sqlite"
wait_for "Call for comments" || true
keys Enter
expect "long thread: it opens, its byline counting 200 comments" "200 comments"
keys G
expect "long thread: G reaches the last of 200 comments" "$last ·"
if screen | grep -q "more comments…"; then check "long thread: nothing is left to lay out" no; else check "long thread: nothing is left to lay out" ok; fi
stop

# Themes: --theme light paints its blue status line; NO_COLOR beats any theme; T switches.
sgr_colours() { tm capture-pane -p -e -t e2e | grep -oE $'\e\\[[0-9;]*m' | tr -d '\033' | sort -u | tr '\n' ' '; }
start 100 30 "$work/theme.sqlite" "" "--theme light"
wait_for "Diplo Internet Governance Community" || true
if sgr_colours | grep -qE '(^|;|\[)44(;|m)'; then check "--theme light: the status line is blue" ok; else check "--theme light: the status line is blue ($(sgr_colours))" no; fi
keys T
expect "T: switches to the next theme and says which" "Theme: monochrome"
if coloured; then check "T: monochrome shows no colour" no; else check "T: monochrome shows no colour" ok; fi
stop
start 100 30 "$work/theme.sqlite" NO_COLOR=1 "--theme gruvbox-dark"
wait_for "Diplo Internet Governance Community" || true
if coloured; then check "NO_COLOR with a truecolor theme: no colour" no; else check "NO_COLOR with a truecolor theme: no colour" ok; fi
stop
sampled "$work/theme.sqlite"
out="$("$agora" --cache "$work/theme.sqlite" --theme nope 2>&1 < /dev/null || true)"
if echo "$out" | grep -q "agora: no theme 'nope' (themes: default, "; then check "--theme with an unknown name: a clear message" ok; else check "--theme with an unknown name: a clear message ($out)" no; fi

# Another process writes the cache while the reader is open: the reader shows it.
for kind in sqlite json; do
    live="$work/live.$kind"
    sampled "$live"
    start 120 40 "$live"
    expect "live ($kind): the reader opens with the post unread" "1/1 unread"
    "$agora" --cache "$live" mark read itu-secretary-general-wcit > /dev/null
    expect "live ($kind): a mark made in another terminal shows without a key" "0/1 unread" 5
    stop
done

# R brings every source up to date from inside the reader, and the new post shows.
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>R Feed</title><item><title>Fetched by R</title><guid>r1</guid></item></channel></rss>\n' > "$work/r.xml"
"$agora" --cache "$work/r.sqlite" sources add "$work/r.xml" > /dev/null 2>&1
start 120 40 "$work/r.sqlite"
expect "R: the reader opens on an empty cache" "No posts."
keys R
expect "R: the sync says what it brought" "Synced 1 source: 1 new."
expect "R: the new post is listed while reading" "Fetched by R"
stop

# agora --sync syncs as the reader opens.
"$agora" --cache "$work/opening.sqlite" sources add "$work/r.xml" > /dev/null 2>&1
start 120 40 "$work/opening.sqlite" "" --sync
expect "--sync: the reader syncs as it opens" "Synced 1 source: 1 new."
expect "--sync: what it brought is listed" "Fetched by R"
stop

# A Discourse forum (the test forum, on 127.0.0.1): mirrored, read, and a reply written on the
# forum while the reader is open comes in with R; a mention opens the member's profile.
forum_bin="$(dirname "$agora")/agora-test-forum"
mkfifo "$work/forum.in"
"$forum_bin" --topics 40 --posts 200 --users 12 < "$work/forum.in" > "$work/forum.out" &
exec 7> "$work/forum.in"
forum_url=""
for _ in $(seq 50); do forum_url="$(head -1 "$work/forum.out" 2>/dev/null || true)"; [ -n "$forum_url" ] && break; sleep 0.1; done
"$agora" --cache "$work/forum.sqlite" sources add "$forum_url" > "$work/forum-add.txt" 2>&1
if grep -q "Found a Discourse forum (A test forum)" "$work/forum-add.txt"; then check "forum: sources add finds a Discourse forum" ok; else check "forum: sources add finds a Discourse forum ($(cat "$work/forum-add.txt"))" no; fi
"$agora" --cache "$work/forum.sqlite" sync --rate 0 > /dev/null 2>&1
start 120 40 "$work/forum.sqlite"
expect "forum: the reader lists the forum's topics" "Topic 1039: privacy"
# libcurl is loaded by the first request, not before: the reader maps it only once R fetches.
reader_pid="$(pgrep -P "$(tm list-panes -t e2e -F '#{pane_pid}')" -x agora | head -1 || true)"
curl_mapped() { [ -n "$reader_pid" ] && grep -q "/libcurl" "/proc/$reader_pid/maps" 2>/dev/null; }
if [ -n "$reader_pid" ] && ! curl_mapped; then check "forum: the open reader has not loaded libcurl" ok; else check "forum: the open reader has not loaded libcurl (pid '$reader_pid')" no; fi
keys Enter
expect "forum: a topic opens with its views and replies" "views"
echo "reply 1039 member2 A reply brought by R" >&7
keys R
expect "forum: R brings in the reply written meanwhile" "1 new reply"
if curl_mapped; then check "forum: R loaded libcurl to fetch" ok; else check "forum: R loaded libcurl to fetch" no; fi
keys Enter
expect "forum: the reply shows in the open topic" "A reply brought by R"
echo "reply 1039 member3 A second reply brought by C-r" >&7
keys C-r
expect "forum: C-r brings the open topic's forum up to date" "A second reply brought by C-r"
keys g o 1
expect "forum: a mention opens the member's profile in the reader" "Posts and comments (Enter opens)"
keys Escape
expect "forum: Esc comes back to the topic" "Topic 1039: privacy"
stop

# Sources: two feeds and the forum in one cache. The sources screen with counts, one source read
# in the post list, one marked read after the question and undone.
feed() {  # feed FILE TITLE ITEMS: an RSS file of old items
    { printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>%s</title><link>http://127.0.0.1/%s</link>\n' "$2" "$1"
      for i in $(seq "$3"); do printf '<item><title>%s item %s</title><guid>%s-%s</guid><pubDate>Mon, 0%s Jul 2002 10:00:00 +0000</pubDate></item>\n' "$2" "$i" "$1" "$i" "$i"; done
      printf '</channel></rss>\n'; } > "$work/$1.xml"
}
feed alpha "Feed Alpha" 3
feed beta "Feed Beta" 2
for location in "$work/alpha.xml" "$work/beta.xml" "$forum_url"; do "$agora" --cache "$work/sources.sqlite" sources add "$location" > /dev/null 2>&1; done
"$agora" --cache "$work/sources.sqlite" sync --rate 0 > /dev/null 2>&1
start 120 40 "$work/sources.sqlite"
expect "sources: the header counts the sources" "3 sources: A test forum, Feed Alpha, Feed Beta"
keys F
expect "sources: F lists every source with its unread and total posts" "Feed Alpha"
expect "sources: a feed's counts" "3/3"
if screen | grep -qE "forum +[0-9]+/[0-9]+"; then check "sources: the forum with its counts" ok; else check "sources: the forum with its counts" no; fi
if screen | grep -qE "› .*category +[0-9]+/[0-9]+"; then check "sources: the forum's categories under it" ok; else check "sources: the forum's categories under it" no; fi
keys G Enter
expect "sources: Enter reads one source in the post list" "Posts 2/2 unread in Feed Beta"
keys X
if wait_for "Posts 2/2 unread in Feed Beta" 1; then check "sources: X shows every post again" no; else check "sources: X shows every post again" ok; fi
keys F G A
expect "sources: A asks before marking a source read" "Mark 2 unread posts of Feed Beta read?"
keys y
expect "sources: the source is marked read" "Marked 2 posts read."
expect "sources: its row says so" "0/2"
keys u
expect "sources: u undoes it" "2 posts unread again"
expect "sources: the row counts them again" "2/2"
keys Escape
expect "sources: Esc closes the screen" "Posts "
# A forum topic read, a reply written on the forum, R: the topic says it has a new reply, the
# sources screen counts it, and the topic opens at it.
keys X g Enter
expect "new replies: a topic is read" "views"
keys Escape
echo "reply 1039 member4 A reply since it was read" >&7
keys R
expect "new replies: R brings the reply in" "1 new reply"
expect "new replies: the topic says it has a new reply" "(1 new) Topic 1039"
keys F
if wait_for "NEW REPLIES" 5 && screen | grep -qE "forum +[0-9]+/[0-9]+ +1 "; then check "new replies: the sources screen counts it" ok; else check "new replies: the sources screen counts it" no; fi
keys Escape g Enter
expect "new replies: the topic opens at the new reply" "1 new reply since you read it"
expect "new replies: the reply is on screen" "A reply since it was read"
stop
exec 7>&-
wait

# A first week with a generated community: search counts and scrolls on, counts stay true after
# opening a post from a profile, filter messages name members, the sorted value is shown, the
# help's status line, and o 0 opens a post's own page.
"$agora" generate --posts 2000 --members 200 --comments 3000 --out "$work/week.sqlite" > /dev/null 2>&1
start 120 40 "$work/week.sqlite" BROWSER=true
expect "week: the reader opens on the generated community" "Posts 2000/2000 unread"
keys /
tm send-keys -t e2e -l "statement"
expect "week: search says how many match in all" "found"
expect "week: each kind is headed by its count" "Posts ("
keys PageDown PageDown PageDown PageDown
if screen | grep -q "Search:"; then check "week: search scrolls on past a screenful" ok; else check "week: search scrolls on past a screenful" no; fi
keys Escape
# Words with a filter: the exact count (as agora search counts it) comes after the first frame.
exact=$("$agora" --cache "$work/week.sqlite" search "country:kenya policy" --limit 1 | sed -n 's/^Posts 1-1 of \([0-9,]*\).*/\1/p')
keys /
tm send-keys -t e2e -l "country:kenya policy"
expect "week: words with a filter are counted exactly ($exact)" "Posts ($exact)"
keys Escape
# The community at a glance: a chart, a month opened as a search and back, a country's roster.
keys i
expect "glance: i shows the community at a glance" "Activity by month"
expect "glance: the busiest months are named" "Busiest months"
if screen | grep -q "█"; then check "glance: the charts are block characters" ok; else check "glance: the charts are block characters" no; fi
keys h Enter
expect "glance: Enter on the chart searches its month" "/ date:"
keys Escape
expect "glance: Esc comes back to the screen" "At a glance"
keys j j j j
keys Enter
keys Escape Escape
wait_for "Posts 2" || true
if screen | grep -q "At a glance"; then check "glance: Esc again goes back to the reader" no; else check "glance: Esc again goes back to the reader" ok; fi
# The names of who commented can be chosen: the most commented post, ] stops on the first
# name, Enter opens that member's profile.
keys O O O
wait_for "most comments" || true
keys g Enter
wait_for "20 comments" || true
keys "]"
expect "who commented: ] goes to the line that names them" "comments from"
keys Enter
expect "who commented: ] and Enter open a commenter's profile" "Posts and comments (Enter opens)"
keys Escape r Escape O O O
wait_for "Posts: newest" || true
# M mutes the author of the open post: the list says how many are hidden; M again unmutes.
keys g Enter
wait_for "comments" || true
keys M
expect "mute: M mutes the post's author" "Muted "
expect "mute: the list title says how many are hidden" " hidden"
keys M
expect "mute: M again unmutes" "Unmuted "
# As it was for what follows: the post unread again, the roster (a country, from the glance) whole.
keys r Escape X
keys m Enter
expect "week: a profile from the roster" "Posts and comments (Enter opens)"
keys j Enter
expect "week: a post opened from a profile is counted read at once" "Posts 1999/2000 unread"
keys P
expect "week: P names the member, not an id" "Showing the posts of "
if screen | grep -q "member-00"; then check "week: no member id in the status line" no; else check "week: no member id in the status line" ok; fi
keys C
expect "week: C after P shows the member's country instead" "Showing posts from "
keys X Tab
keys S
expect "week: an empty list says what it is empty of" "No starred posts."
keys S
resize 80 24
keys O O
expect "week: sorted by views at 80 columns, the views are shown" "VIEWS"
resize 120 40
keys '?'
expect "week: the help is open" "Help: keys"
if screen | tail -1 | grep -q "Tab pane"; then check "week: the help's status line has no list hints" no; else check "week: the help's status line has no list hints" ok; fi
keys Escape
keys Enter o 0
expect "week: o 0 opens the post's own page" "Opened https://community.example/posts/"
keys Escape O O O O g Enter
expect "week: back to the newest post, with its threads" "(read me first)"
keys Z
expect "week: Z folds the threads to their first comments" "threads to their first comments"
expect "week: a folded thread says how many replies it holds" "▸ "
stop

# A config file rebinds keys; its mistakes are reported with their lines and the rest applies.
mkdir -p "$work/config/agora"
cat > "$work/config/agora/config.toml" <<'TOML'
date-format = "%e %B %Y"
[keys]
help = ["H"]
down = ["J", "Down"]
colour = "blue"
TOML
out="$(XDG_CONFIG_HOME="$work/config" "$agora" config 2>&1 || true)"
if echo "$out" | grep -q "config.toml:5: unknown action 'colour'"; then check "agora config: the mistake with its line" ok; else check "agora config: the mistake with its line ($out)" no; fi
start 120 40 "$work/theme.sqlite"
expect "config: the reader says the file has a problem, and the key that lists it" "1 problem in the config or theme: H lists them"
expect "config: the status line hints the keys in force" "J/k move"
keys H
expect "config: the help lists the problem with its file and line" "config.toml:5: unknown action 'colour'"
expect "config: the rebound key opens the help, which lists the new keys" "J, Down"
keys Escape
stop

# Keys moved in the lines' tables too: every screen names the keys in force.
cat > "$work/config/agora/config.toml" <<'TOML'
[keys]
open = ["e"]
back = ["z"]
search = ["F2"]
[keys.search]
open = ["C-o"]
back = ["C-g"]
[keys.confirm]
yes = ["v"]
TOML
start 120 40 "$work/theme.sqlite"
expect "rebound: the empty article names the new open key" "e opens the selected post."
keys F2
expect "rebound: the search screen names its keys" "C-o opens, C-g goes back"
tm send-keys -t e2e -l "wcit"
expect "rebound: the search finds as it is typed" "Posts (1)"
tm send-keys -t e2e C-o
expect "rebound: C-o opens the result" "concluded World Conference"
keys z C-g z A
expect "rebound: the question names its yes" "(v: yes, any other key: no)"
keys y
expect "rebound: any other key answers no" "Nothing marked."
stop
rm -rf "$work/config"

# A Ning archive imported at a terminal shows its progress; the reader then shows its posts,
# and a member's profile shows their comment wall.
archive="$work/archive"
mkdir -p "$archive"
cat > "$archive/ning-members-local.json" <<'JSON'
([{"contributorName":"jane1","fullName":"Jane Example","country":"KE","level":"owner admin",
  "comments":[{"contributorName":"mari2","description":"Welcome back, Jane!","createdDate":"2010-01-02T00:00:00.000Z"},
              {"contributorName":"mari2","description":"Hello Jane","createdDate":"2010-01-01T00:00:00.000Z"}]}
{"contributorName":"mari2","fullName":"Marília Maciel","country":"BR"}])
JSON
cat > "$archive/ning-blogs-local.json" <<'JSON'
([{"id":"2332551:BlogPost:2","title":"ITU &amp; the WCIT","description":"<p>What happened in <a href=\"https://example.org/dubai?a=1&b=2\">Dubai</a>, <a href=\"--help\">help</a>, <a href=\"file:///etc/passwd\">file</a>.</p>","contributorName":"mari2",
   "createdDate":"2012-12-18T10:00:00.000Z","publishStatus":"publish",
   "comments":[{"id":"2332551:Comment:11","contributorName":"jane1","description":"newer comment","createdDate":"2012-12-19T10:00:00.000Z"},
               {"id":"2332551:Comment:10","contributorName":"mari2","description":"older comment","createdDate":"2012-12-18T11:00:00.000Z"}]}])
JSON
rm -f "$work/status"
tm new-session -d -s e2e -x 120 -y 40 "env XDG_CONFIG_HOME=$work/config TERM=xterm-256color $agora --cache $work/ning.sqlite import $archive; echo \$? > $work/status; sleep 30"
expect "import at a terminal: a progress bar with records" "records"
expect "import: the summary" "posts: 1 added"
tm kill-session -t e2e 2>/dev/null || true
rm -f "$work/status"
tm new-session -d -s e2e -x 120 -y 40 "env XDG_CONFIG_HOME=$work/config TERM=xterm-256color $agora --cache $work/ning.sqlite; echo \$? > $work/status; sleep 30"
expect "imported archive: the post is listed with its unescaped title" "ITU & the WCIT"
keys Enter
expect "imported archive: comments oldest first" "older comment"
keys Tab
keys g
keys Enter
expect "profile: the comment wall is listed" "Marília Maciel: Hello Jane"
keys G
keys Enter
expect "profile: a wall comment says it is all there" "wall: it is all here"
keys Q
if exited && [ "$(cat "$work/status")" = 0 ]; then check "imported archive: quits with status 0" ok; else check "imported archive: quits with status 0" no; fi
tm kill-session -t e2e 2>/dev/null || true

# The config's browser opens a link: run directly with the link as one argument, no shell.
mkdir -p "$work/config/agora"
printf '#!/bin/sh\nprintf "%%s|%%s" "$#" "$1" > "%s/opened"\n' "$work" > "$work/browser.sh"
chmod +x "$work/browser.sh"
printf 'browser = "%s/browser.sh %%s"\n' "$work" > "$work/config/agora/config.toml"
start 120 40 "$work/ning.sqlite" BROWSER=false
wait_for "ITU & the WCIT" || true
keys Enter
wait_for "What happened in" || true
keys o 1
expect "browser from the config: opened the link" "Opened https://example.org/dubai?a=1&b=2"
if [ "$(cat "$work/opened" 2>/dev/null)" = "1|https://example.org/dubai?a=1&b=2" ]; then check "browser from the config: one argument, the link as it is" ok; else check "browser from the config: one argument, the link as it is ($(cat "$work/opened" 2>/dev/null))" no; fi
rm -f "$work/opened"
keys o 2
# The archive's relative link "--help" was resolved against the archive's own folder.
expect "a link that would read as an option is not opened" "Not opened: file: links are not opened"
keys o 3
expect "a file: link is not opened" "/etc/passwd"
if [ -e "$work/opened" ]; then check "the browser did not run for either ($(cat "$work/opened"))" no; else check "the browser did not run for either" ok; fi
stop
rm -rf "$work/config"

# Without UTF-8 the charts are ASCII.
start 80 24 "$work/week.sqlite" "LC_ALL= LC_CTYPE= LANG=C"
wait_for "Posts 2" || true
keys i
expect "glance with LANG=C: the screen opens" "Activity by month"
if screen | grep -q "█"; then check "glance with LANG=C: no block characters" no; else check "glance with LANG=C: no block characters" ok; fi
if screen | grep -q "###"; then check "glance with LANG=C: the charts in #" ok; else check "glance with LANG=C: the charts in #" no; fi
stop

# A sync at a terminal says how each source went, one line each, on stderr.
cp "$archive/ning-blogs-local.json" "$work/not-a-feed.xml"
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Local Feed</title><item><title>Hello</title><guid>h1</guid></item></channel></rss>\n' > "$work/local.xml"
"$agora" --cache "$work/sync.sqlite" sources add "$work/local.xml" >/dev/null 2>&1
"$agora" --cache "$work/sync.sqlite" sources add "$work/not-a-feed.xml" >/dev/null 2>&1
rm -f "$work/status"
tm new-session -d -s e2e -x 120 -y 20 "env XDG_CONFIG_HOME=$work/config TERM=xterm-256color $agora --cache $work/sync.sqlite sync; echo \$? > $work/status; sleep 30"
expect "sync at a terminal: a line for the source that worked" "· Local Feed: 1 new"
expect "sync at a terminal: a line for the source that failed" "! not-a-feed-xml: failed:"
if exited && [ "$(cat "$work/status")" = 1 ]; then check "sync: exit status 1 when a source failed" ok; else check "sync: exit status 1 when a source failed" no; fi
tm kill-session -t e2e 2>/dev/null || true

# A mailing list: a thread opened, its quoted text folded and opened with x, a sender who wrote
# from two addresses one member with both on the profile.
cat > "$work/list.mbox" <<'MBOX'
From ana Mon Mar  3 10:00:00 2014
From: Ana Lima <ana.lima@example.org>
Date: Mon, 3 Mar 2014 10:00:00 +0000
Subject: [Gov] Remote hubs
Message-ID: <a@example.org>

Who can host a remote hub this year?

From ana Tue Mar  4 10:00:00 2014
From: "Lima, Ana" <ANA@other.example>
Date: Tue, 4 Mar 2014 10:00:00 +0000
Subject: Re: [Gov] Remote hubs
Message-ID: <b@example.org>
In-Reply-To: <a@example.org>

Recife can.

On Mon, 3 Mar 2014, Ana Lima wrote:
> Who can host a remote hub this year?

-- 
Ana, from her other address
MBOX
"$agora" --cache "$work/list.sqlite" import "$work/list.mbox" > /dev/null 2>&1
start 120 40 "$work/list.sqlite"
expect "list: the thread is a post, the list's [Gov] taken off" "Remote hubs"
keys Enter
expect "list: the thread opens with its first message" "Who can host a remote hub this year?"
expect "list: the reply's quoted text is folded to a line" "▸ quoted text"
expect "list: the reply's signature is folded to a line" "▸ signature"
keys x
expect "list: x shows the quoted text" "│ Who can host a remote hub this year?"
expect "list: x shows the signature" "Ana, from her other address"
keys x
expect "list: x folds them again" "▸ quoted text"
keys a
expect "list: the author's profile" "Ana Lima"
expect "list: one member, the first address on the profile" "Addresses: ana.lima@example.org,"
expect "list: one member, the other address on the profile" "ana@other.example"
expect "list: the other spelling on the profile" "Also writes as: Lima, Ana"
stop

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
