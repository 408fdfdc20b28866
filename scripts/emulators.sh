#!/usr/bin/env bash
# Starts, stops and reports the test peers: moto server (AWS), mimic (Rackspace) and etcd (the etcd
# state backend), all on 127.0.0.1 with free ports, moto and mimic from the venv that scripts/setup.sh
# makes, etcd from Debian's etcd-server (its own data folder under the log folder, wiped at start;
# --auto-compaction-mode=revision --auto-compaction-retention=1000, so repeated large state writes
# do not fill its 2 GiB quota with old revisions). moto runs through
# Tests/Peers/run_moto.py (catalyze's extension: AWS Backup selections, EC2 VPN connection routes), mimic through
# Tests/Peers/run_mimic.py (catalyze's plugins).
#
# Usage: scripts/emulators.sh start|stop|status [--env FILE]
#   start   starts both in the background (no-op when the env file names live ones), waits until each
#           answers HTTP, and writes the env file (default: .emulators.env at the repository root):
#             export CATALYZE_MOTO_URL=http://127.0.0.1:PORT    moto's endpoint (every AWS service)
#             export CATALYZE_MIMIC_URL=http://127.0.0.1:PORT   mimic's base URL; identity is at
#                                                             $CATALYZE_MIMIC_URL/identity/v2.0/tokens
#             export CATALYZE_ETCD_URL=http://127.0.0.1:PORT    etcd's client URL (v3 JSON gateway)
#             export CATALYZE_MOTO_PID=PID CATALYZE_MIMIC_PID=PID CATALYZE_ETCD_PID=PID
#   stop    stops exactly the processes (and their process groups) that the env file names, removes it
#   status  prints each peer's URL and state; exits 0 only when all are up and answering
# Logs: .emulators/<name>/{moto,mimic,etcd}.log, where <name> is the env file's name without dot and .env.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-peers"
env_file="$root/.emulators.env"
command=""
while (($# > 0)); do
    case "$1" in
        start | stop | status) command="$1" ;;
        --env) env_file="$(realpath -m "${2:?--env needs a file}")"; shift ;;
        --env=*) env_file="$(realpath -m "${1#--env=}")" ;;
        -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "emulators: unknown argument '$1' (usage: start|stop|status [--env FILE])" >&2; exit 2 ;;
    esac
    shift
done
[[ -n "$command" ]] || { echo "emulators: usage: scripts/emulators.sh start|stop|status [--env FILE]" >&2; exit 2; }

name="$(basename "$env_file")"; name="${name#.}"; name="${name%.env}"
log_dir="$root/.emulators/${name:-emulators}"
ready_seconds=60
started=() # pids that this `start` launched: stopped again if the start fails

say() { printf 'emulators: %s\n' "$*"; }

# is_ours PID PATTERN: PID is alive and its command line matches PATTERN (guards against reused pids).
is_ours() {
    [[ -n "$1" && -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

# answers URL: the server at URL replies to HTTP at all (any status code).
answers() {
    local code
    code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null || true)"
    [[ -n "$code" && "$code" != "000" ]]
}

# alive PID: PID runs (a zombie, exited but not yet reaped, does not count).
alive() {
    local state
    state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
    [[ -n "$state" && "$state" != "Z" ]]
}

# kill_group PID: stops PID's process group (it leads one: started with setsid), then PID itself.
kill_group() {
    local pid="$1" i
    [[ -n "$pid" ]] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

read_env() { # sets moto_url mimic_url etcd_url moto_pid mimic_pid etcd_pid from the env file (empty when absent)
    moto_url="" mimic_url="" etcd_url="" moto_pid="" mimic_pid="" etcd_pid=""
    [[ -f "$env_file" ]] || return 0
    local key value
    while IFS='=' read -r key value; do
        case "${key#export }" in
            CATALYZE_MOTO_URL) moto_url="$value" ;;
            CATALYZE_MIMIC_URL) mimic_url="$value" ;;
            CATALYZE_MOTO_PID) moto_pid="$value" ;;
            CATALYZE_MIMIC_PID) mimic_pid="$value" ;;
            CATALYZE_ETCD_URL) etcd_url="$value" ;;
            CATALYZE_ETCD_PID) etcd_pid="$value" ;;
        esac
    done <"$env_file"
}

# wait_for_port LOG REGEX: prints the port that LOG announces (REGEX's first group), within the limit.
wait_for_port() {
    local log="$1" regex="$2" pid="$3" what="$4" i port
    for i in $(seq $((ready_seconds * 10))); do
        port="$(sed -n -E "s#.*${regex}.*#\1#p" "$log" 2>/dev/null | head -n1)"
        if [[ -n "$port" ]]; then echo "$port"; return 0; fi
        kill -0 "$pid" 2>/dev/null || { say "$what exited during start-up; its log ($log):" >&2; tail -n 20 "$log" >&2; return 1; }
        sleep 0.1
    done
    say "$what announced no port within ${ready_seconds}s; its log ($log):" >&2
    tail -n 20 "$log" >&2
    return 1
}

wait_until_answers() { # URL WHAT
    local i
    for i in $(seq "$ready_seconds"); do
        answers "$1" && return 0
        sleep 1
    done
    say "$2 at $1 did not answer within ${ready_seconds}s" >&2
    return 1
}

# check_mimic_extension URL LOG: mimic's catalog lists catalyze's extension (Tests/Peers/run_mimic.py
# loads it; twisted.plugin only logs a plugin that fails to import, so say so loudly here).
check_mimic_extension() {
    local catalog
    catalog="$(curl -s -m 10 -X POST "$1/identity/v2.0/tokens" -H 'Content-Type: application/json' \
        -d '{"auth":{"RAX-KSKEY:apiKeyCredentials":{"username":"catalyze-probe","apiKey":"probe"},"tenantId":"catalyze-probe"}}')"
    # Plugins without a catalog entry of their own (SSL termination, monitoring metrics) show a
    # failed import only in the log, as a traceback at start-up.
    if [[ "$catalog" != *'"cloudBlockStorage"'* || "$catalog" != *'"cloudNetworks"'* || "$catalog" != *'"cloudBackup"'* ]] \
        || grep -q Traceback "$2"; then
        say "mimic runs without catalyze's extension (cloudBlockStorage, cloudNetworks, cloudBackup); a plugin failed to load? its log ($2):" >&2
        grep -A3 -E 'Traceback|Error' "$2" | tail -n 20 >&2
        return 1
    fi
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now (etcd cannot announce a port 0).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    read_env
    if is_ours "$moto_pid" run_moto.py && is_ours "$mimic_pid" run_mimic.py && is_ours "$etcd_pid" "etcd --name catalyze-test"; then
        say "already running (moto $moto_url, mimic $mimic_url, etcd $etcd_url; $env_file)"
        return 0
    fi
    if [[ -n "$moto_pid$mimic_pid$etcd_pid" ]]; then
        stop >/dev/null # a half-dead pair from an earlier run: clear it before starting anew
    fi
    [[ -x "$venv/bin/moto_server" && -x "$venv/bin/twistd" ]] || {
        say "no peers' venv at $venv: run scripts/setup.sh first" >&2
        return 1
    }
    command -v etcd >/dev/null || { say "no etcd (Debian etcd-server): run scripts/setup.sh first" >&2; return 1; }

    mkdir -p "$log_dir"
    local moto_port mimic_port
    started=()
    # On any failure from here on, stop what this call started.
    trap 'for p in "${started[@]}"; do kill_group "$p"; done' EXIT

    setsid "$venv/bin/python" "$root/Tests/Peers/run_moto.py" -H 127.0.0.1 -p 0 >"$log_dir/moto.log" 2>&1 </dev/null &
    moto_pid=$!
    started+=("$moto_pid")
    # mimic with this checkout's extension (Tests/Peers/run_mimic.py: twistd, plugins from mimic_plugins/)
    (cd "$log_dir" && exec setsid "$venv/bin/python" "$root/Tests/Peers/run_mimic.py" -n --pidfile= mimic \
        -l tcp:0:interface=127.0.0.1) \
        >"$log_dir/mimic.log" 2>&1 </dev/null &
    mimic_pid=$!
    started+=("$mimic_pid")
    # etcd: one member, its own data folder (wiped: every start is a fresh cluster), free ports.
    local etcd_port etcd_peer_port
    etcd_port="$(free_port)"
    etcd_peer_port="$(free_port)"
    rm -rf "$log_dir/etcd-data"
    setsid etcd --name catalyze-test --data-dir "$log_dir/etcd-data" \
        --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
        --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
        --initial-cluster "catalyze-test=http://127.0.0.1:$etcd_peer_port" \
        --auto-compaction-mode revision --auto-compaction-retention 1000 \
        >"$log_dir/etcd.log" 2>&1 </dev/null &
    etcd_pid=$!
    started+=("$etcd_pid")
    etcd_url="http://127.0.0.1:$etcd_port"

    moto_port="$(wait_for_port "$log_dir/moto.log" 'Running on http://127\.0\.0\.1:([0-9]+)' "$moto_pid" moto)"
    mimic_port="$(wait_for_port "$log_dir/mimic.log" 'Site starting on ([0-9]+)' "$mimic_pid" mimic)"
    moto_url="http://127.0.0.1:$moto_port"
    mimic_url="http://127.0.0.1:$mimic_port"
    wait_until_answers "$moto_url/" moto
    wait_until_answers "$mimic_url/identity/v2.0/tokens" mimic
    wait_until_answers "$etcd_url/health" etcd
    check_mimic_extension "$mimic_url" "$log_dir/mimic.log"

    local tmp="$env_file.tmp.$$"
    {
        echo "# Written by scripts/emulators.sh start; remove with scripts/emulators.sh stop."
        echo "export CATALYZE_MOTO_URL=$moto_url"
        echo "export CATALYZE_MIMIC_URL=$mimic_url"
        echo "export CATALYZE_MOTO_PID=$moto_pid"
        echo "export CATALYZE_MIMIC_PID=$mimic_pid"
        echo "export CATALYZE_ETCD_URL=$etcd_url"
        echo "export CATALYZE_ETCD_PID=$etcd_pid"
    } >"$tmp"
    mv -f "$tmp" "$env_file"
    trap - EXIT
    say "moto  $moto_url (pid $moto_pid)"
    say "mimic $mimic_url (pid $mimic_pid)"
    say "etcd  $etcd_url (pid $etcd_pid)"
    say "env   $env_file"
}

stop() {
    read_env
    if [[ -z "$moto_pid$mimic_pid$etcd_pid" ]]; then
        say "not running (no $env_file)"
        return 0
    fi
    if is_ours "$moto_pid" run_moto.py; then kill_group "$moto_pid"; fi
    if is_ours "$mimic_pid" run_mimic.py; then kill_group "$mimic_pid"; fi
    if is_ours "$etcd_pid" "etcd --name catalyze-test"; then kill_group "$etcd_pid"; fi
    rm -f "$env_file"
    say "stopped"
}

status() {
    read_env
    local ok=0
    if [[ -z "$moto_pid$mimic_pid$etcd_pid" ]]; then
        say "not running (no $env_file)"
        return 1
    fi
    if is_ours "$moto_pid" run_moto.py && answers "$moto_url/"; then
        say "moto  up    $moto_url (pid $moto_pid)"
    else
        say "moto  DOWN  $moto_url (pid $moto_pid)"; ok=1
    fi
    if is_ours "$mimic_pid" run_mimic.py && answers "$mimic_url/identity/v2.0/tokens"; then
        say "mimic up    $mimic_url (pid $mimic_pid)"
    else
        say "mimic DOWN  $mimic_url (pid $mimic_pid)"; ok=1
    fi
    if is_ours "$etcd_pid" "etcd --name catalyze-test" && answers "$etcd_url/health"; then
        say "etcd  up    $etcd_url (pid $etcd_pid)"
    else
        say "etcd  DOWN  $etcd_url (pid $etcd_pid)"; ok=1
    fi
    return "$ok"
}

"$command"
