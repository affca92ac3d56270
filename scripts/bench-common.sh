# Sourced by the benchmark scripts: the static release build they measure, the machine they
# measure on, and a work folder removed when they end.
source scripts/setup.sh
swift build -c release --static-swift-stdlib --product agora >&2

bench_machine() {
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p')"
    echo "Date: $(date -u +%Y-%m-%d)"
}

bench_work() {  # bench_work NAME: $work, a folder that goes when the script ends; /usr/bin/time there
    [ -x /usr/bin/time ] || { echo "$1: /usr/bin/time is needed (Debian package time)" >&2; exit 1; }
    work=$(mktemp -d "/tmp/agora-$1.XXXXXX")
    trap 'rm -rf "$work"' EXIT
}
