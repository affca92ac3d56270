#!/usr/bin/env bash
# Draws the at-a-glance screen from the real program: agora runs in tmux at 120x40 on a
# generated community, `i` opens the screen and `h` moves the chart's cursor back a month; the
# screen is captured with its colours (capture-pane -e) and scripts/ansi2svg.py turns it into
# docs/glance.svg.
#   scripts/glance-picture.sh [path/to/agora]     (default: .build/debug/agora)
set -euo pipefail
cd "$(dirname "$0")/.."
agora="$(realpath "${1:-.build/debug/agora}")"
work="$(mktemp -d)"
socket="agora-glance-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
"$agora" generate --posts 2000 --members 200 --comments 3000 --out "$work/cache.sqlite" > /dev/null 2>&1
tmux -L "$socket" new-session -d -s pic -x 120 -y 40 \
    "env XDG_CONFIG_HOME=$work/config LANG=C.UTF-8 TERM=xterm-256color $agora --cache $work/cache.sqlite 2>/dev/null; sleep 30"
for _ in $(seq 50); do tmux -L "$socket" capture-pane -p -t pic | grep -q "Synthetic Community" && break; sleep 0.1; done
tmux -L "$socket" send-keys -t pic i
for _ in $(seq 50); do tmux -L "$socket" capture-pane -p -t pic | grep -q "Busiest months" && break; sleep 0.1; done
tmux -L "$socket" send-keys -t pic h h h
sleep 0.5
tmux -L "$socket" capture-pane -p -e -t pic | python3 scripts/ansi2svg.py 120 40 dark > docs/glance.svg
echo docs/glance.svg
