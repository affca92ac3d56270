#!/usr/bin/env bash
# The man page, docs/agora.1, made from the commands themselves (swift-argument-parser's
# generate-manual reads `agora --experimental-dump-help`).
#   scripts/man.sh [path/to/agora]            write docs/agora.1
#   scripts/man.sh --check [path/to/agora]    exit 1 when docs/agora.1 is not what the commands say
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
if [ "${1:-}" = --check ]; then check=true; shift; fi
agora="${1:-.build/debug/agora}"
# The date of the version the page describes, so that the page changes only with the commands.
date=2026-11-30
swift build --product generate-manual >&2
tool="$(swift build --product generate-manual --show-bin-path)/generate-manual"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$tool" "$agora" --date "$date" --authors "Agora's authors" -o "$work" >&2
if $check; then
    if ! diff -u docs/agora.1 "$work/agora.1"; then
        echo "man: docs/agora.1 is not what the commands say; run scripts/man.sh" >&2
        exit 1
    fi
    # Completions come from the same definitions; each shell's script must name every command.
    for shell in bash zsh fish; do
        script="$("$agora" --generate-completion-script "$shell")"
        for command in members sync sources search import; do
            echo "$script" | grep -q "$command" || { echo "man: the $shell completions lack $command" >&2; exit 1; }
        done
    done
    echo "man: docs/agora.1 and the completions match the commands"
else
    cp "$work/agora.1" docs/agora.1
    echo "wrote docs/agora.1"
fi
