#!/usr/bin/env bash
# Builds Agora and installs it: PREFIX/bin/agora, the bundled themes in
# PREFIX/share/agora/themes (they are built in too; files there replace them), the man page in
# PREFIX/share/man/man1 (`man agora`) and completions for bash, zsh and fish where each shell
# looks for them. PREFIX is ~/.local by default.
#   scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-$HOME/.local}"
source scripts/setup.sh
release_build --static-swift-stdlib --product agora
# Stripped: the symbols are for debugging and a third of the file (install -s runs strip).
install -D -m 755 -s .build/release/agora "$prefix/bin/agora"
install -d "$prefix/share/agora/themes"
install -m 644 Themes/*.toml "$prefix/share/agora/themes/"
install -D -m 644 docs/agora.1 "$prefix/share/man/man1/agora.1"
completions() {  # completions SHELL FILE
    install -d "$(dirname "$prefix/$2")"
    "$prefix/bin/agora" --generate-completion-script "$1" > "$prefix/$2"
}
completions bash share/bash-completion/completions/agora
completions zsh share/zsh/site-functions/_agora
completions fish share/fish/vendor_completions.d/agora.fish
echo "installed $prefix/bin/agora, $(ls Themes/*.toml | wc -l) themes in $prefix/share/agora/themes, the man page and completions for bash, zsh and fish"
