#!/usr/bin/env python3
"""Counts what is left of a pod in moto (AWS) and mimic (Rackspace), asked directly, not through catalyze.

For the demo's last word after `catalyze destroy`: the pod's live instances, volumes, networks and
load balancers in each cloud, found as catalyze marks them: the `catalyze:pod` tag on AWS, the
`catalyze:pod` metadata of Rackspace servers and volumes, `catalyze:pod=POD` in a Rackspace
network's description, and a `POD-` name prefix for Rackspace load balancers (as
Tests/CatalyzeCLITests/EndToEndRackspaceTests.swift counts them). Deleted, terminated and
deleting ones do not count.

Usage: pod-leftovers.py POD [--moto URL --aws-region R] [--mimic URL --tenant T --user U --rax-region R]
Prints one line per cloud (e.g. `aws us-west-2: instance=0 volume=0 network=0 load_balancer=0`) and
exits 0 only when every count is 0.
"""
import argparse
import json
import sys
import urllib.request

import boto3

POD_TAG = "catalyze:pod"


def aws_counts(pod, endpoint, region):
    session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo-secret")
    ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
    elb = session.client("elbv2", region_name=region, endpoint_url=endpoint)
    tagged = [{"Name": f"tag:{POD_TAG}", "Values": [pod]}]
    live = ["pending", "running", "stopping", "stopped"]
    instances = [i for r in ec2.describe_instances(
        Filters=tagged + [{"Name": "instance-state-name", "Values": live}])["Reservations"] for i in r["Instances"]]
    volumes = [v for v in ec2.describe_volumes(Filters=tagged)["Volumes"] if v["State"] not in ("deleting", "deleted")]
    networks = ec2.describe_vpcs(Filters=tagged)["Vpcs"]
    arns = [b["LoadBalancerArn"] for b in elb.describe_load_balancers()["LoadBalancers"]]
    balancers = [d for start in range(0, len(arns), 20)
                 for d in elb.describe_tags(ResourceArns=arns[start:start + 20])["TagDescriptions"]
                 if {t["Key"]: t["Value"] for t in d["Tags"]}.get(POD_TAG) == pod]
    return {"instance": len(instances), "volume": len(volumes), "network": len(networks), "load_balancer": len(balancers)}


def rax_counts(pod, mimic, tenant, user, region):
    def call(url, body=None, token=None):
        request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None)
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        if token:
            request.add_header("X-Auth-Token", token)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode() or "{}")

    access = call(f"{mimic}/identity/v2.0/tokens", {
        "auth": {"RAX-KSKEY:apiKeyCredentials": {"username": user, "apiKey": "demo-key"}, "tenantId": tenant}})["access"]
    token = access["token"]["id"]
    catalog = {s["name"]: s["endpoints"] for s in access["serviceCatalog"]}

    def listed(service, path, key):
        base = next(e["publicURL"] for e in catalog[service] if e.get("region") == region)
        return call(f"{base}/{path}", token=token).get(key) or []

    def ours(item):
        return (item.get("metadata") or {}).get(POD_TAG) == pod

    servers = [s for s in listed("cloudServersOpenStack", "servers/detail", "servers") if ours(s) and s.get("status") != "DELETED"]
    volumes = [v for v in listed("cloudBlockStorage", "volumes/detail", "volumes") if ours(v) and v.get("status") != "deleting"]
    networks = [n for n in listed("cloudNetworks", "networks", "networks")
                if f"{POD_TAG}={pod}" in (n.get("description") or "")]
    balancers = [b for b in listed("cloudLoadBalancers", "loadbalancers", "loadBalancers")
                 if (b.get("name") or "").startswith(f"{pod}-")
                 and b.get("status") not in ("DELETED", "PENDING_DELETE", "PENDING-DELETE")]
    return {"instance": len(servers), "volume": len(volumes), "network": len(networks), "load_balancer": len(balancers)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pod")
    parser.add_argument("--moto")
    parser.add_argument("--aws-region", default="us-west-2")
    parser.add_argument("--mimic")
    parser.add_argument("--tenant")
    parser.add_argument("--user")
    parser.add_argument("--rax-region", default="ORD")
    args = parser.parse_args()
    left = 0
    clouds = []
    if args.moto:
        clouds.append((f"aws {args.aws_region}", aws_counts(args.pod, args.moto, args.aws_region)))
    if args.mimic:
        clouds.append((f"rax {args.rax_region}",
                       rax_counts(args.pod, args.mimic, args.tenant or args.user, args.user or args.tenant, args.rax_region)))
    for name, counts in clouds:
        print(f"{name}: " + " ".join(f"{kind}={count}" for kind, count in counts.items()))
        left += sum(counts.values())
    if not clouds:
        parser.error("name --moto, --mimic or both")
    sys.exit(1 if left else 0)


if __name__ == "__main__":
    main()
