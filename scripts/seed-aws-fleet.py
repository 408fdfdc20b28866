#!/usr/bin/env python3
"""Seeds moto with a fleet of dedicated hosts for catalyze's demo and end-to-end tests.

moto has no physical hosts of its own: this allocates EC2 dedicated hosts tagged `catalyze:fleet`
(the tag catalyze's AWS driver looks for) and publishes their CPU and memory utilisation to
CloudWatch namespace `Catalyze/Hosts` (dimension `HostId`), as a real fleet's agents would.

Usage: seed-aws-fleet.py ENDPOINT REGION[:ZONE] [REGION[:ZONE] ...] [--hosts N] [--family m5]
                         [--stale N [--stale-age SECONDS]]
--stale N: the last N hosts of each region (by id) get samples SECONDS old (default 1800), as a
host whose agent stopped reporting would have (placement and `catalyze hosts` call it ineligible).
--no-metrics: publish nothing, as a fresh account with no agent on its hosts (catalyze then derives
the figures from AWS/EC2 and allocation).
Prints one line per host: REGION ZONE HOST_ID CPU% MEM%. Idempotent: a region that already has
N or more fleet hosts gets fresh metrics only.
"""
import argparse
import datetime
import random

import boto3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("endpoint")
    parser.add_argument("regions", nargs="+")
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--family", default="m5")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stale", type=int, default=0)
    parser.add_argument("--stale-age", type=int, default=1800)
    parser.add_argument("--no-metrics", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    session = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo-secret")
    now = datetime.datetime.now(datetime.timezone.utc)
    for item in args.regions:
        region, _, zone = item.partition(":")
        zone = zone or f"{region}a"
        ec2 = session.client("ec2", region_name=region, endpoint_url=args.endpoint)
        cloudwatch = session.client("cloudwatch", region_name=region, endpoint_url=args.endpoint)
        existing = ec2.describe_hosts(Filters=[{"Name": "tag-key", "Values": ["catalyze:fleet"]}])["Hosts"]
        hosts = [h["HostId"] for h in existing]
        missing = args.hosts - len(hosts)
        if missing > 0:
            made = ec2.allocate_hosts(
                AvailabilityZone=zone, InstanceFamily=args.family, Quantity=missing,
                TagSpecifications=[{"ResourceType": "dedicated-host",
                                    "Tags": [{"Key": "catalyze:fleet", "Value": "demo"}]}])
            hosts += made["HostIds"]
        ordered = sorted(hosts)
        stale = set(ordered[len(ordered) - args.stale:]) if args.stale > 0 else set()
        for host in ordered:
            if args.no_metrics:
                print(f"{region} {zone} {host} no metrics")
                continue
            at = now - datetime.timedelta(seconds=args.stale_age) if host in stale else now
            cpu = round(rng.uniform(5, 60), 1)
            memory = round(rng.uniform(10, 60), 1)
            cloudwatch.put_metric_data(Namespace="Catalyze/Hosts", MetricData=[
                {"MetricName": name, "Dimensions": [{"Name": "HostId", "Value": host}],
                 "Timestamp": at, "Value": value, "Unit": "Percent"}
                for name, value in (("CPUUtilization", cpu), ("MemoryUtilization", memory))])
            print(f"{region} {zone} {host} cpu={cpu}% mem={memory}%" + (" stale" if host in stale else ""))


if __name__ == "__main__":
    main()
