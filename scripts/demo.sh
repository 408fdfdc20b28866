#!/usr/bin/env bash
# THE demo command (README): on a fresh machine, installs what it needs, starts the local cloud
# emulators, and runs catalyze end to end on the example pods:
#   validate all examples → seed a dedicated-host fleet → hosts → plan --explain → apply → plan
#   (clean, --detailed-exitcode 0) → support access (CA, grant, revoke, audit) and logging exposed
#   then concealed without a redeploy → destroy, for examples/hipaa-aws.yaml against moto (AWS), then
#   the same plan/apply/destroy for examples/dev-rax.yaml against mimic (Rackspace).
# The emulators are stopped on exit, whatever happens.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
env_file="$root/.emulators/demo.env"
work="$(mktemp -d /tmp/catalyze-demo.XXXXXX)"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

scripts/setup.sh
step "Building catalyze"
scripts/swiftpm build --product catalyze
catalyze="$root/.build/debug/catalyze"

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
step "catalyze access ca init (the customer's CA: its private key stays with the customer)"
"$catalyze" access ca init --out customer-ca
ssh-keygen -q -t ed25519 -N "" -C alice@support -f alice

step "catalyze access grant --ttl 2h (a timed certificate for one container, signed by the customer's CA)"
grant_output="$("$catalyze" access grant --to alice --key alice.pub --ttl 2h --target app01 --ca customer-ca --reason "ticket 4711")"
echo "$grant_output"
ssh-keygen -L -f alice-cert.pub | sed -n '1,12p'
serial="$(sed -n 's/^Granted serial \([0-9]*\) .*/\1/p' <<<"$grant_output")"

step "catalyze access revoke $serial, list, audit --verify"
"$catalyze" access revoke "$serial"
"$catalyze" access list
"$catalyze" access audit --verify

step "catalyze access expose logging (the customer paid for it: one firewall rule, no redeploy), then conceal"
"$catalyze" access expose logging --cidr 192.168.10.0/24
"$catalyze" plan --detailed-exitcode
"$catalyze" access conceal logging

step "catalyze destroy --auto-approve"
"$catalyze" destroy --auto-approve

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

step "catalyze destroy --auto-approve"
"$catalyze" destroy --auto-approve

step "Demo complete"
