#!/usr/bin/env bash
# Sets up, builds and runs Agora. With no arguments it opens the cache at the default place,
# which a first run fills with the embedded sample (the Diplo Internet Governance Community).
# Arguments go to agora: scripts/run.sh list, scripts/run.sh members --country brazil ...
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
release_build --static-swift-stdlib --product agora
exec .build/release/agora "$@"
