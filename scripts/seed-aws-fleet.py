#!/usr/bin/env python3
"""Seeds moto with a fleet of dedicated hosts for catalyze's demo and end-to-end tests.

moto has no physical hosts of its own: this allocates EC2 dedicated hosts tagged `catalyze:fleet`
(the tag catalyze's AWS driver looks for) and publishes their CPU and memory utilisation to
CloudWatch namespace `Catalyze/Hosts` (dimension `HostId`), as a real fleet's agents would.

Usage: seed-aws-fleet.py ENDPOINT REGION[:ZONE] [REGION[:ZONE] ...] [--hosts N] [--family m5]
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
        for host in sorted(hosts):
            cpu = round(rng.uniform(5, 60), 1)
            memory = round(rng.uniform(10, 60), 1)
            cloudwatch.put_metric_data(Namespace="Catalyze/Hosts", MetricData=[
                {"MetricName": name, "Dimensions": [{"Name": "HostId", "Value": host}],
                 "Timestamp": now, "Value": value, "Unit": "Percent"}
                for name, value in (("CPUUtilization", cpu), ("MemoryUtilization", memory))])
            print(f"{region} {zone} {host} cpu={cpu}% mem={memory}%")


if __name__ == "__main__":
    main()
