#!/usr/bin/env bash
# THE demo command (README): on a fresh machine, installs what it needs, starts the local cloud
# emulators, and runs catalyze end to end on the example pods:
#   validate all examples → seed a dedicated-host fleet → hosts → plan --explain → apply → plan
#   (clean, --detailed-exitcode 0) → support access (CA, grant, revoke, audit) and logging exposed
#   then concealed without a redeploy → destroy, for examples/hipaa-aws.yaml against moto (AWS), then
#   the same plan/apply/destroy for examples/dev-rax.yaml against mimic (Rackspace), then
#   examples/dr-cross-cloud.yaml, one hipaa pod across both clouds (primary on Rackspace ORD, DR on
#   AWS us-west-2): hosts of both fleets → plan --out → apply → each replica pair on two hosts in
#   each cloud → Rackspace backup vaults encrypted → no secret in the lockfile, plan or output →
#   clean plan → destroy → nothing left in either cloud (scripts/pod-leftovers.py asks them directly).
# Exits 0 only if every step worked. The emulators are stopped on exit, whatever happens.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
env_file="${CATALYZE_DEMO_ENV:-$root/.emulators/demo.env}"   # DemoScriptTests passes its own
work="$(mktemp -d /tmp/catalyze-demo.XXXXXX)"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

scripts/setup.sh
if [[ -n "${CATALYZE_DEMO_BINARY:-}" ]]; then
    # DemoScriptTests runs this script with the binary `swift test` built (and holds the build lock).
    catalyze="$CATALYZE_DEMO_BINARY"
else
    step "Building catalyze"
    scripts/swiftpm build --product catalyze
    catalyze="$root/.build/debug/catalyze"
fi

mkdir -p "$root/.emulators"
trap '"$root/scripts/emulators.sh" stop --env "$env_file" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$root/scripts/emulators.sh" start --env "$env_file"
# shellcheck source=/dev/null
source "$env_file"

step "catalyze validate examples/*.yaml"
"$catalyze" validate examples/*.yaml

step "catalyze init (a starter manifest that validates as written)"
"$catalyze" init --name demo-pod -o "$work/starter.yaml"
"$catalyze" validate "$work/starter.yaml"

step "Seeding moto with a fleet of dedicated hosts (tagged catalyze:fleet, with CloudWatch metrics)"
"$root/.venv-peers/bin/python" scripts/seed-aws-fleet.py "$CATALYZE_MOTO_URL" us-east-1 us-west-2 --hosts 3

# The pod, with a TLS certificate bundle that the manifest references (file:certs/acme-prod.pem).
cp examples/hipaa-aws.yaml "$work/pod.yaml"
mkdir -p "$work/certs"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=acme.example -days 2 \
    -keyout "$work/certs/key.pem" -out "$work/certs/cert.pem" 2>/dev/null
cat "$work/certs/cert.pem" "$work/certs/key.pem" > "$work/certs/acme-prod.pem"
export AWS_ENDPOINT_URL="$CATALYZE_MOTO_URL" AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret
export ACME_DB_PASSWORD=demo-password
cd "$work"

# The customer's SSH CA, before the first apply: every host boots trusting only it (and refusing
# what it has revoked), and `access grant` refuses a pod whose manifest names no CA.
step "catalyze access ca init (the customer's CA: its private key stays with the customer)"
"$catalyze" access ca init --out customer-ca
printf '  caPublicKey: file:customer-ca.pub\n' >> pod.yaml   # the example ends with its access: section
"$catalyze" validate pod.yaml

step "catalyze hosts (the live fleet the scheduler bids on)"
"$catalyze" hosts

step "catalyze plan --explain --out pod.plan"
"$catalyze" plan --explain --out pod.plan

step "catalyze apply pod.plan"
"$catalyze" apply pod.plan

step "catalyze plan --detailed-exitcode (nothing left to do: exit 0)"
"$catalyze" plan --detailed-exitcode
echo "exit code: $?"

step "catalyze state list"
"$catalyze" state list || true

# --- Zero-trust support access and paid-for visibility, on the applied pod -------------------------
ssh-keygen -q -t ed25519 -N "" -C alice@support -f alice

step "catalyze access grant --ttl 2h (a timed certificate for one container in one region, signed by the customer's CA)"
grant_output="$("$catalyze" access grant --to alice --key alice.pub --ttl 2h --target app01 --region primary --ca customer-ca --reason "ticket 4711")"
echo "$grant_output"
ssh-keygen -L -f alice-cert.pub | sed -n '1,12p'
serial="$(sed -n 's/^Granted serial \([0-9]*\) .*/\1/p' <<<"$grant_output")"

step "catalyze access revoke $serial, list, audit --verify"
"$catalyze" access revoke "$serial" --ca customer-ca
"$catalyze" access list
"$catalyze" access audit --verify

step "catalyze access expose logging (the customer paid for it: one firewall rule, no redeploy), then conceal"
"$catalyze" access expose logging --cidr 192.168.10.0/24
"$catalyze" plan --detailed-exitcode
"$catalyze" access conceal logging

step "catalyze destroy --auto-approve --force-destroy-data"
"$catalyze" destroy --auto-approve --force-destroy-data

# --- The same on Rackspace (mimic): examples/dev-rax.yaml ------------------------------------------
step "Seeding mimic with a fleet of dedicated hosts (Cloud Monitoring entities marked catalyze:fleet, with metrics)"
"$root/.venv-peers/bin/python" "$root/scripts/seed-rax-fleet.py" "$CATALYZE_MIMIC_URL" --tenant demo-rax --user demo-rax \
    --region ORD --hosts 3
mkdir -p "$work/rax"
cp "$root/examples/dev-rax.yaml" "$work/rax/pod.yaml"
export OS_AUTH_URL="$CATALYZE_MIMIC_URL/identity/v2.0" OS_USERNAME=demo-rax OS_API_KEY=demo-api-key \
    OS_TENANT_ID=demo-rax OS_REGION_NAME=ORD
cd "$work/rax"

step "catalyze hosts (Rackspace: the fleet from Cloud Monitoring)"
"$catalyze" hosts

step "catalyze plan --explain --out pod.plan (examples/dev-rax.yaml)"
"$catalyze" plan --explain --out pod.plan

step "catalyze apply pod.plan"
"$catalyze" apply pod.plan

step "catalyze plan --detailed-exitcode (nothing left to do: exit 0)"
"$catalyze" plan --detailed-exitcode
echo "exit code: $?"

step "catalyze state show primary/instance.app01 (the hostId Cloud Servers reports)"
"$catalyze" state show primary/instance.app01

step "catalyze destroy --auto-approve --force-destroy-data"
"$catalyze" destroy --auto-approve --force-destroy-data

# --- One pod across both clouds: examples/dr-cross-cloud.yaml ---------------------------------------
# Primary on Rackspace ORD (mimic), disaster recovery on AWS us-west-2 (moto), in one plan and one
# apply. The credentials of both clouds are the ones exported above (AWS_*, OS_*; tenant demo-rax).
step "Seeding both fleets for examples/dr-cross-cloud.yaml: moto us-west-2 and mimic ORD (hosts kept, fresh metrics)"
"$root/.venv-peers/bin/python" "$root/scripts/seed-aws-fleet.py" "$CATALYZE_MOTO_URL" us-west-2 --hosts 3
"$root/.venv-peers/bin/python" "$root/scripts/seed-rax-fleet.py" "$CATALYZE_MIMIC_URL" --tenant demo-rax --user demo-rax \
    --region ORD --hosts 3
dr="$work/dr"
mkdir -p "$dr/certs"
cp "$root/examples/dr-cross-cloud.yaml" "$dr/pod.yaml"
# The TLS bundle the manifest references (file:certs/acme-dr.pem): a throwaway self-signed
# certificate followed by its key, as Tests/CatalyzeTestSupport/TLSBundle.swift makes it.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=acme.example -days 2 \
    -keyout "$dr/certs/key.pem" -out "$dr/certs/cert.pem" 2>/dev/null
cat "$dr/certs/cert.pem" "$dr/certs/key.pem" > "$dr/certs/acme-dr.pem"
# The customer's Cloud Backup passphrase: a fresh random value, never printed.
ACME_BACKUP_PASSPHRASE="demo-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
export ACME_BACKUP_PASSPHRASE
cd "$dr"

# no_secrets FILE...: none of the files holds the passphrase, the database password or the TLS private
# key (a line of its body, and its PEM header); the demo fails otherwise.
no_secrets() {
    local file secret key_line
    key_line="$(sed -n 2p "$dr/certs/key.pem")"
    for file in "$@"; do
        [[ -f "$file" ]] || { echo "error: no $file to check for secrets" >&2; exit 1; }
        for secret in "$ACME_BACKUP_PASSPHRASE" "$ACME_DB_PASSWORD" "$key_line" "PRIVATE KEY"; do
            if grep -qF -- "$secret" "$file"; then
                echo "error: $(basename "$file") holds a secret (the project rule: no secret in a lockfile, plan or log)" >&2
                exit 1
            fi
        done
    done
}
log="$work/dr-output.log" # everything catalyze printed in this part, checked for secrets at the end
# dr_run FILTER ARGS...: runs catalyze ARGS, keeps its output for that check and shows it through
# FILTER (a command: cat, tail -n 3, ...); all of it, and an error, when catalyze fails.
dr_run() {
    local filter="$1" out status=0
    shift
    out="$(mktemp -p "$work")"
    "$catalyze" "$@" >"$out" 2>&1 || status=$?
    cat "$out" >>"$log"
    if ((status != 0)); then
        cat "$out"
        echo "error: catalyze $* exited with $status" >&2
        return "$status"
    fi
    $filter <"$out"
}
# plan_excerpt: a plan's instances with the host each is placed on, and its summary.
plan_excerpt() {
    awk '/^  [-+~] / { action = $1; address = $2 }
         /^      host: / && address ~ /\/instance\./ { gsub(/"/, "", $2); printf "  %s %-30s on host %s\n", action, address, $2 }
         /^(Plan|Saved)/ { print }'
}

step "catalyze hosts (both clouds: Rackspace ORD from Cloud Monitoring, AWS us-west-2 from EC2 + CloudWatch)"
dr_run cat hosts

step "catalyze plan --out pod.plan (excerpt: each container's host; the full plan lists every attribute)"
dr_run plan_excerpt plan --out pod.plan

step "catalyze apply pod.plan (both clouds in one run; its last lines)"
dr_run "tail -n 3" apply pod.plan

step "catalyze state list (in two columns: primary on Rackspace ORD, dr on AWS us-west-2)"
"$catalyze" state list | awk '/^primary\// { p[++np] = $0 } /^dr\// { d[++nd] = $0 }
    END { for (i = 1; i <= (np > nd ? np : nd); i++) printf "  %-42s %s\n", p[i], d[i] }'

step "Anti-affinity in each cloud: the replicas' hosts as each cloud reported them (catalyze state show)"
for region in primary dr; do
    for group in app db; do
        hosts=()
        for address in "$region/instance.${group}01" "$region/instance.${group}02"; do
            # provider, cloud region, cloud id and host of the instance, from its `state show`
            read -r provider cloud_region cloud_id host < <("$catalyze" state show "$address" | awk '
                $1 == "provider" { p = $3 } $1 == "cloud_region" { r = $3 } $1 == "cloud_id" { c = $3 }
                $1 == "host" { h = $3 } END { print p, r, c, h }')
            printf '  %-24s %-4s %-10s %-36s host %s\n' "$address" "$provider" "$cloud_region" "$cloud_id" "$host"
            expected=aws
            [[ "$region" == dr ]] || expected=rax
            if [[ "$provider" != "$expected" || -z "$host" ]]; then
                echo "error: $address is not on $expected with a host" >&2
                exit 1
            fi
            hosts+=("$host")
        done
        if [[ "${hosts[0]}" == "${hosts[1]}" ]]; then
            echo "error: $region: ${group}01 and ${group}02 share host ${hosts[0]}" >&2
            exit 1
        fi
    done
done
echo "each pair on two different physical hosts, in both clouds"

step "catalyze state show primary/backup_plan.main (Cloud Backup vaults encrypted; only the passphrase's reference is kept)"
"$catalyze" state show primary/backup_plan.main | tee "$work/dr-backup.txt"
grep -qE '^  encrypted *= true$' "$work/dr-backup.txt" || {
    echo "error: the Rackspace backup vaults are not recorded as encrypted" >&2
    exit 1
}

step "No secret in the lockfile or the saved plan (grep -F: the passphrase, the database password, the TLS key)"
no_secrets catalyze.lock.json catalyze.lock.json.backup pod.plan
echo "none in catalyze.lock.json, catalyze.lock.json.backup, pod.plan"

step "catalyze plan --detailed-exitcode (nothing to do in either cloud, vault encryption read back: exit 0)"
dr_run cat plan --detailed-exitcode
echo "exit code: $?"

step "catalyze destroy --auto-approve --force-destroy-data"
dr_run "tail -n 1" destroy --auto-approve --force-destroy-data

step "Nothing of the pod left in either cloud (asked directly, not through catalyze); no secret in catalyze's output"
"$root/.venv-peers/bin/python" "$root/scripts/pod-leftovers.py" acme-dr --moto "$CATALYZE_MOTO_URL" --aws-region us-west-2 \
    --mimic "$CATALYZE_MIMIC_URL" --tenant demo-rax --user demo-rax --rax-region ORD
no_secrets "$log"
echo "none in the output of hosts, plan, apply, plan, destroy"

step "Demo complete"
