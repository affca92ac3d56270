#!/usr/bin/env bash
# Sets up, builds and runs every test: the model and caches, text, layout, and the agora
# binary end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
