#!/usr/bin/env bash
# Fuzzes every reader of outside input with libFuzzer: feeds, Ning archive files, zips, Agora
# JSON, OPML, Discourse JSON, mail (mbox, MIME, charsets, threads), HTML bodies, TOML config and
# theme files, search queries.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 30 seconds each, every target)
# Seeds come from Tests/FuzzCorpus/TARGET (and the shared feed fixtures beside the checkout, when
# there); what libFuzzer finds new goes to .build-fuzz/corpus/TARGET, kept between runs. A crash,
# a hang (over 10 s on one input) or memory over 2 GiB stops that target: the input is saved as
# .build-fuzz/crashes/TARGET-*, the script says how to replay it, and it exits 1. Copy the input
# into Tests/FuzzCorpus/TARGET/ with the fix, so every later run tries it again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(feed ning zip agora-json opml discourse mbox mime html toml search)
swift build --product agora-fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xlinker --export-dynamic >&2
fuzz=.build-fuzz/debug/agora-fuzz
mkdir -p .build-fuzz/crashes
failed=0
for target in "${targets[@]}"; do
    corpus=".build-fuzz/corpus/$target"
    mkdir -p "$corpus"
    seeds=("Tests/FuzzCorpus/$target")
    if [ "$target" = discourse ] && [ -d ../shared/fixtures/discourse ]; then
        seeds+=("../shared/fixtures/discourse")
    fi
    if [ "$target" = mbox ] && [ -d ../shared/fixtures/mail ]; then
        seeds+=("../shared/fixtures/mail")
    fi
    if [ "$target" = feed ] && [ -d ../shared/fixtures/feeds ]; then
        extra=".build-fuzz/seeds-feed"
        mkdir -p "$extra"
        find ../shared/fixtures/feeds -type f -size -64k \( -name '*.xml' -o -name '*.rss' -o -name '*.atom' -o -name '*.json' \) \
            -exec cp -f {} "$extra/" \; 2>/dev/null || true
        seeds+=("$extra")
    fi
    echo "fuzz: $target for $seconds s" >&2
    # Swift's own crash report off, so that libFuzzer's handler saves the input that crashed.
    if SWIFT_BACKTRACE=enable=no AGORA_FUZZ_TARGET="$target" "$fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix=".build-fuzz/crashes/$target-" "$corpus" "${seeds[@]}" \
        > ".build-fuzz/$target.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' ".build-fuzz/$target.log" | grep -o '[0-9]*$' || echo "?")
        echo "ok: $target ($runs inputs)"
    else
        failed=$((failed + 1))
        echo "FAILED: $target (see .build-fuzz/$target.log)"
        grep -E "^==|ERROR|SUMMARY|Test unit written" ".build-fuzz/$target.log" | head -8 | sed 's/^/    | /'
        echo "    replay: swift build --product agora-fuzz && .build/debug/agora-fuzz $target .build-fuzz/crashes/$target-*"
    fi
done
echo "fuzz: $(( ${#targets[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
