#!/usr/bin/env bash
# Builds a release binary and times the cache on a generated community of 100,000 posts,
# 20,000 members and 300,000 comments (see docs/benchmarks.md). Extra arguments go to
# `agora bench store`, e.g. --keep /tmp/bench.sqlite to reuse the generated cache.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
release_build --static-swift-stdlib --product agora
echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
echo "Date: $(date -u +%Y-%m-%d)"
exec .build/release/agora bench store "$@"
