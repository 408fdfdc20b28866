#!/usr/bin/env bash
# Prepares a machine (fresh Debian, run as root; CI runs it from a fresh clone) for catalyze's tests:
#   1. Debian packages: OpenSSH server and client (access tests), libcurl headers (static links with
#      FoundationNetworking), curl (emulator probes), python3 + venv (the test peers).
#   2. A Python venv at .venv-peers/ with moto server and mimic (pins in Tests/Peers/requirements.txt).
#   3. catalyze's mimic extension (Tests/Peers/mimic_plugins/) linked into that venv's mimic.
# Idempotent: each step checks first and skips what is already done, so a second run takes seconds.
# Usage: scripts/setup.sh
set -euo pipefail
shopt -s nullglob

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-peers"
requirements="$root/Tests/Peers/requirements.txt"
plugins_src="$root/Tests/Peers/mimic_plugins"

say() { printf 'setup: %s\n' "$*"; }

# --- 1. Debian packages -------------------------------------------------------------------------
missing=()
want_package() { # PACKAGE: queue PACKAGE for installation unless dpkg has it installed
    if ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$1")
    fi
}
want_package openssh-server
want_package openssh-client
want_package libcurl4-openssl-dev
want_package curl
if ! command -v python3 >/dev/null 2>&1; then
    want_package python3
    want_package python3-venv
elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    want_package python3-venv # Debian's python3 needs it for `python3 -m venv`
fi

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -ne 0 ]]; then
        say "missing Debian packages: ${missing[*]}; run this script as root" >&2
        exit 1
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt_log="$(mktemp)"
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
        >"$apt_log" 2>&1; then
        cat "$apt_log" >&2
        say "apt-get failed" >&2
        exit 1
    fi
    rm -f "$apt_log"
else
    say "Debian packages present"
fi

# --- 2. the peers' venv --------------------------------------------------------------------------
stamp="$venv/.catalyze-requirements.sha256"
want_stamp="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want_stamp" ]]; then
    say "venv .venv-peers up to date"
else
    say "creating venv .venv-peers (moto server, mimic)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    "$venv/bin/pip" check --disable-pip-version-check >/dev/null
    echo "$want_stamp" >"$stamp"
fi

# --- 3. catalyze's mimic extension -------------------------------------------------------------
# mimic finds its plugins as modules of its `mimic.plugins` package (twisted.plugin), so each of our
# plugin modules is linked into that folder. Our block storage and networking plugins replace mimic's
# read-only Cinder and Neutron stubs (same catalog types; every call the stubs answered still works),
# so the stubs are moved aside to keep the service catalog free of duplicates.
mimic_plugins="$("$venv/bin/python" -c 'import os, mimic.plugins as p; print(os.path.dirname(p.__file__))')"
changed=0
for stub in cinder_plugin.py neutron_plugin.py; do
    if [[ -f "$mimic_plugins/$stub" ]]; then
        mv "$mimic_plugins/$stub" "$mimic_plugins/$stub.replaced-by-catalyze"
        changed=1
    fi
done
for plugin in "$plugins_src"/catalyze_*.py; do
    link="$mimic_plugins/$(basename "$plugin")"
    if [[ "$(readlink "$link" 2>/dev/null)" != "$plugin" ]]; then
        ln -sfn "$plugin" "$link"
        changed=1
    fi
done
for link in "$mimic_plugins"/catalyze_*.py; do # links to plugins that no longer exist
    if [[ -L "$link" && ! -e "$link" ]]; then
        rm -f "$link"
        changed=1
    fi
done
if ((changed)); then
    rm -f "$mimic_plugins/dropin.cache" # twisted.plugin rebuilds its cache on the next start
    say "mimic extension linked into $(realpath --relative-to="$root" "$mimic_plugins")"
else
    say "mimic extension in place"
fi
say "done"
