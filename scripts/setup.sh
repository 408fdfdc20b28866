#!/usr/bin/env bash
# Prepares a machine (fresh Debian, run as root; CI runs it from a fresh clone) for catalyze's tests:
#   1. Debian packages: OpenSSH server and client (access tests), libcurl headers (static links with
#      FoundationNetworking), curl (emulator probes), openssl (TLS bundles for the demo and the
#      end-to-end tests), python3 + venv (the test peers), etcd-server (the etcd state backend's
#      peer; Debian's postinst enables a system service, which the tests never use: scripts/emulators.sh
#      runs its own etcd on a free port with its own data folder).
#   2. A Python venv at .venv-peers/ with moto server and mimic (pins in Tests/Peers/requirements.txt).
#   3. catalyze's mimic extension (Tests/Peers/mimic_plugins/) checked; Tests/Peers/run_mimic.py loads it.
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
want_package openssl
want_package etcd-server # the etcd state backend's tests (scripts/emulators.sh starts it)
want_package fish # CompletionTests run the fish completion script (complete -C) as well as bash's
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
# Nothing to install: scripts/emulators.sh starts mimic through Tests/Peers/run_mimic.py, which loads
# this checkout's Tests/Peers/mimic_plugins/ (and leaves out mimic's read-only Cinder and Neutron stubs)
# without changing the venv, so checkouts that share a venv each run their own extension.
plugins=("$plugins_src"/catalyze_*.py)
if ((${#plugins[@]} == 0)); then
    say "no mimic extension in $plugins_src" >&2
    exit 1
fi
say "mimic extension: ${#plugins[@]} plugins in $(realpath --relative-to="$root" "$plugins_src") (loaded by Tests/Peers/run_mimic.py)"
say "done"
