"""The official Python clients against the simulator: a kubernetes watch from a resourceVersion with
timeout_seconds, and a boto3 paginated DescribeNetworkInterfaces. Prints one JSON object."""
import json
import sys

import boto3
from kubernetes import client, config, watch


def main(kubeconfig, ec2_url, region, resource_version):
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    events = []
    for event in watch.Watch().stream(
        core.list_namespaced_pod,
        "default",
        resource_version=resource_version,
        timeout_seconds=2,
    ):
        events.append({"type": event["type"], "name": event["object"].metadata.name})
    ec2 = boto3.client(
        "ec2",
        endpoint_url=ec2_url,
        region_name=region,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="sim",
    )
    pages = 0
    enis = []
    paginator = ec2.get_paginator("describe_network_interfaces")
    for page in paginator.paginate(PaginationConfig={"PageSize": 5}):
        pages += 1
        enis.extend(e["NetworkInterfaceId"] for e in page["NetworkInterfaces"])
    print(json.dumps({"events": events, "pages": pages, "enis": enis}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
