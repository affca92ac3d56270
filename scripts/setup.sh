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
