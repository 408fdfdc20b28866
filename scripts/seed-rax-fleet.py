#!/usr/bin/env python3
"""Seeds mimic (Rackspace's API mock) with a dedicated-host fleet for catalyze's demo.

On Rackspace, catalyze reads the fleet from Cloud Monitoring: one entity per dedicated host,
marked with `catalyze:fleet` metadata that names the host's Nova `hostId`, region, capacity and
family, with `agent.cpu` and `agent.memory` checks (see man 5 catalyze-manifest, RACKSPACE
PLACEMENT). mimic gives every server of a tenant the same `hostId` and does not act on scheduler
hints, so the demo fleet is the one host mimic really places servers on, learnt from a probe server.

Usage: seed-rax-fleet.py MIMIC_URL --tenant T --user U [--region ORD]
"""
import argparse
import json
import urllib.request


def call(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode() or "null"
        return response.status, dict(response.headers), json.loads(text) if text.strip().startswith(("{", "[")) else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mimic")
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--region", default="ORD")
    args = parser.parse_args()
    _, _, access = call("POST", f"{args.mimic}/identity/v2.0/tokens", {
        "auth": {"RAX-KSKEY:apiKeyCredentials": {"username": args.user, "apiKey": "demo-key"}, "tenantId": args.tenant}})
    token = access["access"]["token"]["id"]
    catalog = {s["name"]: s["endpoints"] for s in access["access"]["serviceCatalog"]}

    def endpoint(name, region):
        return next(e["publicURL"] for e in catalog[name] if e.get("region") == region)

    nova = endpoint("cloudServersOpenStack", args.region)
    monitoring = endpoint("cloudMonitoring", "ORD")
    _, _, created = call("POST", f"{nova}/servers", {"server": {"name": "probe", "flavorRef": "2", "imageRef": "probe"}}, token)
    server_id = created["server"]["id"]
    _, _, server = call("GET", f"{nova}/servers/{server_id}", token=token)
    host_id = server["server"]["hostId"]
    call("DELETE", f"{nova}/servers/{server_id}", token=token)

    _, _, entities = call("GET", f"{monitoring}/entities", token=token)
    for entity in (entities or {}).get("values", []):
        if (entity.get("metadata") or {}).get("host_id") == host_id:
            print(f"{args.region} {host_id} (already in the fleet)")
            return
    metadata = {"catalyze:fleet": "demo", "host_id": host_id, "region": args.region, "zone": args.region,
                "family": "general1", "vcpu": "64", "memory_mib": "262144", "state": "available"}
    _, headers, _ = call("POST", f"{monitoring}/entities", {"label": f"dh-{host_id[:8]}", "metadata": metadata}, token)
    entity_id = headers.get("x-object-id") or headers.get("X-Object-Id")
    for check in ("agent.cpu", "agent.memory"):
        call("POST", f"{monitoring}/entities/{entity_id}/checks", {
            "label": check, "type": check, "details": {}, "monitoring_zones_poll": [], "timeout": 30,
            "period": 60, "target_alias": None}, token)
    print(f"{args.region} {host_id} entity {entity_id}")


if __name__ == "__main__":
    main()
