#!/usr/bin/env python3
"""Seeds mimic (Rackspace's API mock) with a dedicated-host fleet for catalyze's demo and tests.

On Rackspace, catalyze reads the fleet from Cloud Monitoring: one entity per dedicated host, marked
with `catalyze:fleet` metadata that names the host's Nova `hostId`, region, capacity and family,
with `agent.cpu` and `agent.memory` checks (see man 5 catalyze-manifest, PLACEMENT ON RACKSPACE).
Each host's `hostId` is what Nova reports for it to this tenant: sha224(tenant + host name). The
mimic extension (Tests/Peers/mimic_plugins/catalyze_nova_placement.py) places a server hinted with
`catalyze:host` on such a host, as a dedicated-host scheduler filter would.

Metrics: each host's checks are seeded with sane values through the extension's control call
(catalyze_monitoring_metrics.py): CPU usage 15 %, 22 %, 29 %, ... and memory in use 30 %, 35 %, ...
of the host's memory, so every host can bid on every run.

Idempotent: a host already in the fleet is kept (its metrics are seeded again).
Usage: seed-rax-fleet.py MIMIC_URL --tenant T --user U [--region ORD] [--hosts 3]
Prints one line per host: REGION HOST_ID entity ENTITY_ID
"""
import argparse
import hashlib
import json
import urllib.request

MIB = 1024 * 1024


def call(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode() or "null"
        headers = {key.lower(): value for key, value in response.headers.items()}
        return response.status, headers, json.loads(text) if text.strip().startswith(("{", "[")) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mimic")
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--region", default="ORD")
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--vcpu", type=int, default=64)
    parser.add_argument("--memory-mib", type=int, default=262144)
    args = parser.parse_args()
    _, _, access = call("POST", f"{args.mimic}/identity/v2.0/tokens", {
        "auth": {"RAX-KSKEY:apiKeyCredentials": {"username": args.user, "apiKey": "demo-key"}, "tenantId": args.tenant}})
    token = access["access"]["token"]["id"]
    catalog = {s["name"]: s["endpoints"] for s in access["access"]["serviceCatalog"]}

    def endpoint(name, region):
        return next(e["publicURL"] for e in catalog[name] if e.get("region") == region)

    monitoring = endpoint("cloudMonitoring", "ORD")  # one global Cloud Monitoring service
    control = endpoint("cloudMonitoringControl", "ORD")
    _, _, listed = call("GET", f"{monitoring}/entities?limit=1000", token=token)
    existing = {(e.get("metadata") or {}).get("host_id"): e for e in (listed or {}).get("values", [])}

    for n in range(1, args.hosts + 1):
        name = f"dh-{args.region.lower()}-{n:02d}"
        host_id = hashlib.sha224(f"{args.tenant}{name}".encode()).hexdigest()
        # `host` is the compute host's name (what a server create asks for at Compute API 2.74);
        # `host_id` is what servers on it report to this tenant: sha224(tenant + host), as Nova derives it.
        metadata = {"catalyze:fleet": "seed", "host_id": host_id, "host": name, "region": args.region, "zone": args.region,
                    "family": "general1", "vcpu": str(args.vcpu), "memory_mib": str(args.memory_mib),
                    "disk_gib": "2000", "state": "available"}
        entity = existing.get(host_id)
        if entity is None:
            _, headers, _ = call("POST", f"{monitoring}/entities", {"label": name, "metadata": metadata}, token)
            entity_id = headers["x-object-id"]
        else:
            entity_id = entity["id"]
            if (entity.get("metadata") or {}).get("host") != name:  # seeded before hosts were named
                call("PUT", f"{monitoring}/entities/{entity_id}", {"metadata": {**(entity.get("metadata") or {}), "host": name}}, token)
        _, _, checks = call("GET", f"{monitoring}/entities/{entity_id}/checks", token=token)
        check_ids = {c["type"]: c["id"] for c in (checks or {}).get("values", [])}
        for check in ("agent.cpu", "agent.memory"):
            if check not in check_ids:
                _, headers, _ = call("POST", f"{monitoring}/entities/{entity_id}/checks", {
                    "label": check, "type": check, "details": {}, "monitoring_zones_poll": [], "timeout": 30,
                    "period": 60, "target_alias": None}, token)
                check_ids[check] = headers["x-object-id"]
        total = args.memory_mib * MIB
        used = int(total * (0.30 + 0.05 * (n - 1)))
        seeds = {"agent.cpu": {"usage_average": 15.0 + 7 * (n - 1)},
                 "agent.memory": {"total": total, "actual_used": used, "actual_free": total - used}}
        for check, metrics in seeds.items():
            call("PUT", f"{control}/entities/{entity_id}/checks/{check_ids[check]}/metrics", {"metrics": metrics}, token)
        print(f"{args.region} {host_id} entity {entity_id}")


if __name__ == "__main__":
    main()
