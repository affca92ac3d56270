#!/usr/bin/env bash
# Installs what building and testing Agora needs on Debian, when it is missing.
# As root it runs apt-get; otherwise it prints the exact apt-get line to run.
set -euo pipefail

packages=(libncurses-dev libsqlite3-dev libxml2-dev zlib1g-dev libcurl4-openssl-dev pkg-config tmux procps valgrind bsdutils)

if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        export PATH="/opt/swift/usr/bin:$PATH"
    else
        echo "setup: Swift 6.1 or newer is needed (swift was not found on PATH)" >&2
        exit 1
    fi
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "setup: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "setup: missing Debian packages; run:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

# The release build that is run, installed, measured and guarded, always with these flags
# (SwiftPM does not rebuild what was built with others): every function in a section of its
# own, and lld placing the functions the reader's first frame runs side by side
# (scripts/startup.order, made by scripts/startup-order.sh), the relative relocations packed and
# no symbols exported (SwiftPM exports every public one, for tests that link an executable;
# nothing loads this one's); docs/architecture.md has what each saves. Without lld, the
# toolchain's own linker.
#   release_build --static-swift-stdlib --product agora
release_flags=(-c release -Xswiftc -Xfrontend -Xswiftc -function-sections)
if command -v ld.lld >/dev/null 2>&1 || [ -x "$(dirname "$(command -v swift)")/ld.lld" ]; then
    release_flags+=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
        -Xlinker "--symbol-ordering-file=$PWD/scripts/startup.order" -Xlinker --no-warn-symbol-ordering
        -Xlinker --no-export-dynamic)
fi

release_build() {  # release_build ARGS...: `swift build` of the release configuration with release_flags
    # SwiftPM does not build again what other flags built: a release folder made with other
    # flags (or before they were written down) is removed first.
    local stamp=.build/release-flags
    if [ -e .build/release ] && [ "$(cat "$stamp" 2>/dev/null)" != "${release_flags[*]}" ]; then
        echo "setup: the release build's flags changed; building it anew" >&2
        rm -rf "$(readlink -f .build/release)"
    fi
    swift build "${release_flags[@]}" "$@" >&2
    echo "${release_flags[*]}" > "$stamp"
}
