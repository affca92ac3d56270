#!/usr/bin/env bash
# Builds Agora and installs it: PREFIX/bin/agora and the bundled themes in
# PREFIX/share/agora/themes, where the program finds them. PREFIX is ~/.local by default.
#   scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-$HOME/.local}"
source scripts/setup.sh
swift build -c release --static-swift-stdlib --product agora >&2
install -D -m 755 .build/release/agora "$prefix/bin/agora"
install -d "$prefix/share/agora/themes"
install -m 644 Themes/*.toml "$prefix/share/agora/themes/"
echo "installed $prefix/bin/agora and $(ls Themes/*.toml | wc -l) themes in $prefix/share/agora/themes"
