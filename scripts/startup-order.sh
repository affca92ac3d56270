#!/usr/bin/env bash
# Writes scripts/startup.order: the functions the reader runs from its start to its first frame,
# which the release build's linker places side by side (release_flags in scripts/setup.sh), so
# that the pages of code a start touches are few and together. Each function is listed as
# callgrind names it (mangled), sorted, from three starts: the embedded sample,
# a generated community of 20,000 posts, and a feed's cache. A list gone stale costs memory, not
# correctness: a name no longer in the program is passed over, and a function not listed is
# placed as it would be without the list. Run it again when the start-up path changes.
#   scripts/startup-order.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
command -v valgrind >/dev/null || { echo "startup-order: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
release_build --static-swift-stdlib --product agora
agora="$(readlink -f .build/release/agora)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$agora" --cache "$work/sample.sqlite" import --sample > /dev/null 2>&1
"$agora" generate --posts 20000 --members 4000 --comments 60000 --out "$work/generated.sqlite" > /dev/null
python3 ../shared/bench/gen_feed.py 2000 "$work/feed.xml" --seed 1 >&2
"$agora" --cache "$work/feed.sqlite" import "$work/feed.xml" > /dev/null 2>&1
# Each start in tmux, as a person starts it: the reader is left for a few seconds after its
# first frame, so that what its other threads do as it opens (counting, the search index's
# catch-up) is seen too, and then quit with q.
command -v tmux >/dev/null || { echo "startup-order: tmux is needed (apt-get install tmux)" >&2; exit 1; }
for cache in sample generated feed; do
    session="agora-startup-order-$$"
    tmux new-session -d -s "$session" -x 120 -y 40 \
        "env -i PATH='$PATH' HOME='$work' XDG_CONFIG_HOME='$work/config' LANG=C.UTF-8 TERM=xterm-256color \
         valgrind --tool=callgrind --demangle=no --callgrind-out-file='$work/$cache.out' '$agora' --cache '$work/$cache.sqlite' 2>/dev/null"
    for _ in $(seq 600); do  # the first frame, under valgrind: a minute at most
        tmux capture-pane -p -t "$session" 2>/dev/null | grep -q "j/k move" && break
        sleep 0.1
    done
    sleep 5
    tmux send-keys -t "$session" q
    for _ in $(seq 600); do tmux has-session -t "$session" 2>/dev/null || break; sleep 0.1; done
    [ -s "$work/$cache.out" ] || { echo "startup-order: callgrind wrote nothing for the $cache cache" >&2; exit 1; }
done
python3 - "$agora" "$work"/sample.out "$work"/generated.out "$work"/feed.out > scripts/startup.order <<'PY'
import re, sys
binary, outputs = sys.argv[1], sys.argv[2:]
order, seen = [], set()
for path in outputs:
    objects, functions, current = {}, {}, None
    for line in open(path, errors="replace"):
        m = re.match(r"^(c?ob|c?fn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        kind, number, name = m.groups()
        table = objects if kind.endswith("ob") else functions
        if name is not None:
            table[number] = name
        if kind == "ob":
            current = objects[number]
        elif kind == "fn" and current == binary:
            name = functions[number]
            if not name.startswith("0x") and name not in seen:
                seen.add(name)
                order.append(name)
if len(order) < 1000:
    sys.exit(f"startup-order: only {len(order)} functions seen; was the binary run?")
print("\n".join(sorted(order)))  # sorted: the set is what counts, and a new list then differs only where the start did
PY
echo "startup-order: $(wc -l < scripts/startup.order) functions in scripts/startup.order" >&2
# SwiftPM does not know the list is read by the link: the binary goes, and is linked again with it.
rm -f "$agora"
release_build --static-swift-stdlib --product agora
