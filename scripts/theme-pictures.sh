#!/usr/bin/env bash
# Draws a picture of each bundled theme from the real program: agora runs in tmux at 120x32 on
# the embedded sample with the article open, the screen is captured with its colours
# (capture-pane -e) and scripts/ansi2svg.py turns it into docs/themes/NAME.svg.
#   scripts/theme-pictures.sh [path/to/agora]     (default: .build/debug/agora)
set -euo pipefail
cd "$(dirname "$0")/.."
agora="$(realpath "${1:-.build/debug/agora}")"
work="$(mktemp -d)"
socket="agora-pictures-$$"
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p docs/themes
"$agora" --cache "$work/cache.sqlite" import --sample > /dev/null 2>&1
for file in Themes/*.toml; do
    name=$(basename "$file" .toml)
    case "$name" in *light*) terminal=light ;; *) terminal=dark ;; esac
    tmux -L "$socket" new-session -d -s pic -x 120 -y 32 \
        "env XDG_CONFIG_HOME=$work/config TERM=xterm-256color $agora --cache $work/cache.sqlite --theme $name 2>/dev/null; sleep 30"
    for _ in $(seq 50); do tmux -L "$socket" capture-pane -p -t pic | grep -q "Diplo Internet" && break; sleep 0.1; done
    tmux -L "$socket" send-keys -t pic Enter
    sleep 0.5
    tmux -L "$socket" capture-pane -p -e -t pic | python3 scripts/ansi2svg.py 120 32 "$terminal" > "docs/themes/$name.svg"
    tmux -L "$socket" kill-session -t pic
    echo "docs/themes/$name.svg"
done
