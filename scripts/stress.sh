#!/usr/bin/env bash
# A longer run of the test of one cache in many hands (Tests/AgoraCLITests/ConcurrencyTests):
# the reader's marks and its background sync, `agora sync` against a feed on 127.0.0.1, mark,
# star, mute and import loops, and writers killed at random points, on both caches, each lane
# going round its commands for SECONDS (default 60). At the end: integrity_check ok, every change
# whose command exited 0 is there, no process died of anything but the kills.
#   scripts/stress.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
source scripts/setup.sh
swift build --build-tests
AGORA_STRESS_SECONDS="$seconds" swift test --skip-build --filter ConcurrencyTests
