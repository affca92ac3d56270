#!/usr/bin/env bash
# A guard a busy machine cannot fool: instructions counted by valgrind (callgrind), not seconds,
# for importing a fixed 5,000-item feed (../shared/bench/gen_feed.py 5000 --seed 1) into a new
# cache, its search index included (--wait-for-index, whatever the size), and for opening the reader on a fixed generated cache to its first frame (120x40).
# Fails when either costs more than 10% above its budget in bench/instructions.txt, and when it
# costs more than 10% below (then lower the budget to what it prints, in the same change).
#   scripts/instruction-guard.sh            check against the budget
#   scripts/instruction-guard.sh --write    write what was counted as the new budget
set -euo pipefail
cd "$(dirname "$0")/.."
write=false
[ "${1:-}" = --write ] && write=true
source scripts/setup.sh
command -v valgrind >/dev/null || { echo "guard: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
command -v script >/dev/null || { echo "guard: script is needed (apt-get install bsdutils)" >&2; exit 1; }
release_build --product agora
agora="$(swift build "${release_flags[@]}" --product agora --show-bin-path)/agora"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
budget=bench/instructions.txt
python3 ../shared/bench/gen_feed.py 5000 "$work/feed.xml" --seed 1 >&2
"$agora" generate --posts 5000 --members 500 --comments 10000 --out "$work/frame.sqlite" > /dev/null

counted() {  # the "Collected" line of a valgrind run's output
    grep -a "Collected :" "$1" | tail -1 | sed 's/.*Collected : *//' | tr -d '\r '
}
env -i PATH="$PATH" HOME="$work" LANG=C.UTF-8 \
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$agora" --cache "$work/import.sqlite" import --wait-for-index "$work/feed.xml" \
    > /dev/null 2> "$work/import.txt"
import=$(counted "$work/import.txt")
script -qec "stty cols 120 rows 40; env -i PATH='$PATH' HOME='$work' XDG_CONFIG_HOME='$work/config' LANG=C.UTF-8 TERM=xterm-256color \
    AGORA_EXIT_AFTER_FIRST_FRAME=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null '$agora' --cache '$work/frame.sqlite'" \
    /dev/null > "$work/frame.txt" 2>&1 < /dev/null
frame=$(counted "$work/frame.txt")
[ -n "$import" ] && [ -n "$frame" ] || { echo "guard: valgrind counted nothing"; cat "$work/import.txt" "$work/frame.txt" >&2; exit 1; }

if $write; then
    {
        echo "# Instructions (valgrind --tool=callgrind) that scripts/instruction-guard.sh allows, 10% either way;"
        echo "# written by scripts/instruction-guard.sh --write on $(uname -m), $(date -u +%Y-%m-%d)."
        echo "import-5000 $import"
        echo "first-frame $frame"
    } > "$budget"
    echo "guard: wrote $budget: import-5000 $import, first-frame $frame"
    exit 0
fi
failed=0
check() {  # name, counted
    local name=$1 now=$2 allowed
    allowed=$(awk -v n="$name" '$1 == n { print $2 }' "$budget")
    [ -n "$allowed" ] || { echo "guard: $name has no budget in $budget"; failed=1; return; }
    local percent=$(( (now - allowed) * 1000 / allowed ))
    local shown
    shown=$(awk -v a="$now" -v b="$allowed" 'BEGIN { printf "%+.1f%%", (a - b) * 100 / b }')
    if [ "$percent" -gt 100 ]; then
        echo "guard: FAILED: $name costs $now instructions, $shown against its budget of $allowed (10% allowed)"
        failed=1
    elif [ "$percent" -lt -100 ]; then
        echo "guard: FAILED: $name costs $now instructions, $shown against its budget of $allowed: cheaper; lower the budget (scripts/instruction-guard.sh --write) in this change"
        failed=1
    else
        echo "guard: ok: $name $now instructions ($shown against $allowed)"
    fi
}
check import-5000 "$import"
check first-frame "$frame"
exit $failed
