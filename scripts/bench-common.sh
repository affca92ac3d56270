# Sourced by the benchmark scripts: the static release build they measure, the machine they
# measure on, and a work folder removed when they end.
source scripts/setup.sh
release_build --static-swift-stdlib --product agora

bench_machine() {
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
    echo "Date: $(date -u +%Y-%m-%d)"
}

bench_work() {  # bench_work NAME: $work, a folder that goes when the script ends; /usr/bin/time there
    [ -x /usr/bin/time ] || { echo "$1: /usr/bin/time is needed (Debian package time)" >&2; exit 1; }
    work=$(mktemp -d "/tmp/agora-$1.XXXXXX")
    trap 'rm -rf "$work"' EXIT
}

measure() {  # measure LABEL COMMAND...: its wall time and peak memory, a line
    local label=$1; shift
    local out="$work/time.txt"
    /usr/bin/time -f "%e %M" -o "$out" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; return 1; }
    read -r seconds kib < "$out"
    printf '%-10s %6.2f s  %5d MiB\n' "$label" "$seconds" $(( kib / 1024 ))
}

agora_imports() {  # agora_imports FILE RUNS: `agora import FILE` into a new $work/cache.sqlite, measured each time,
    # with when the content was in the cache (a reader opens on it) and how long the search index took after
    # it; an import that left its index (more than 5,000 posts and comments) has it made by the first
    # `agora search`, measured too
    for run in $(seq 1 "$2"); do
        rm -f "$work"/cache.sqlite*
        measure "agora" .build/release/agora --cache "$work/cache.sqlite" import --json "$1"
        left=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("searchIndexLeft", 0))' "$work/stdout.txt")
        if [ "$left" -gt 0 ]; then
            measure "  search" .build/release/agora --cache "$work/cache.sqlite" search governance
            echo "           the first search made the search index the import left ($left posts and comments)"
        else
            python3 -c 'import json, sys; s = json.load(open(sys.argv[1])).get("seconds")
print("           content in the cache after %.2f s, then the search index %.2f s" % (s["content"], s["searchIndex"]) if s else "")' "$work/stdout.txt"
        fi
    done
}
