#!/usr/bin/env bash
# Sets up, builds and runs every test: the model and caches, text, layout, the reader's
# screens, the agora binary end to end, and the reader in tmux as a person uses it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
bash scripts/tui-e2e.sh .build/debug/agora
bash scripts/man.sh --check .build/debug/agora
