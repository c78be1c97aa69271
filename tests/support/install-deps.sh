#!/usr/bin/env bash
# install-deps.sh - install what autogen needs to build and test, on Debian.
#
# Only the missing packages are installed; `apt-get update` runs only when
# something is missing, so a second run is quick and needs no network.
# Uses sudo when not root.  Safe to run without a terminal (CI).
set -euo pipefail

packages=(
    build-essential cmake pkg-config
    libpq-dev libpg-query-dev libprotobuf-c-dev libpcre2-dev libcriterion-dev libinih-dev
    postgresql postgresql-contrib postgresql-client
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: this script knows Debian's apt-get only; install these" \
         "(or your system's equivalents) by hand: ${packages[*]}" >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
        exit 1
    fi
    sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
