#!/usr/bin/env python3
"""Writes tests/unit/data/sigv4-oracle.json: requests shaped like our IoT/STS calls, signed by botocore.

botocore's SigV4Auth is the oracle: tests/unit/test-aws-sigv4.c signs every case with our signer and
must get the same canonical request and Authorization header.  tests/e2e/test_aws_sigv4_oracle.py
regenerates the cases with the installed botocore and checks that this file is still what it says.
Run with the test venv's python:  python tests/unit/data/sigv4-oracle.py [OUT]
"""

import datetime
import json
import random
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

OUT = Path(__file__).with_name("sigv4-oracle.json")
NAME_CHARS = "abcXYZ019-_.:+=@, ~!*'()$&/%é"
LABELS = ["dev:1", "a+b=c", "user@example.com", "x,y,z", "with space", "Mixed-Case_1.2",
          "arn:aws:iot:us-east-1:123456789012:cert/abc", "p%20q", "tilde~ok", "ünïcödé"]
QUERY_NAMES = ["maxResults", "nextToken", "attributeName", "thingTypeName", "endpointType",
               "recursive", "a b", "x=y", "k+1", "@at"]


def label(rng):
    if rng.random() < 0.5:
        return rng.choice(LABELS)
    return "".join(rng.choice(NAME_CHARS) for _ in range(rng.randint(1, 12)))


def wire_path(rng):
    shape = rng.choice(["/things/{}", "/policies/{}", "/policies/{}/version/{}", "/targets/{}",
                        "/principals/{}/things", "/endpoint", "/", "/things/{}/principals"])
    return shape.format(*(quote(label(rng), safe="") for _ in range(shape.count("{}"))))


def wire_query(rng):
    pairs = []
    for _ in range(rng.choice([0, 0, 1, 2, 3, 4])):
        pairs.append((rng.choice(QUERY_NAMES), label(rng) if rng.random() < 0.8 else ""))
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in pairs)


def case(rng, i):
    service = "sts" if i % 7 == 0 else "iot"
    region = rng.choice(["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1"])
    host = rng.choice(["127.0.0.1:5000", "localhost:43210", f"{service}.{region}.amazonaws.com"])
    method = rng.choice(["GET", "POST", "PUT", "PATCH", "DELETE"])
    body = ""
    headers = [["host", host]]
    if service == "sts":
        method, path, query = "POST", "/", ""
        body = "Action=GetCallerIdentity&Version=2011-06-15"
        headers.append(["content-type", "application/x-www-form-urlencoded; charset=utf-8"])
    else:
        path, query = wire_path(rng), wire_query(rng)
        if method in ("POST", "PUT", "PATCH") and rng.random() < 0.7:
            body = json.dumps({"thingName": label(rng), "attributes": {"k": label(rng)}})
            headers.append(["content-type", "application/x-amz-json-1.1" if i % 3 else "application/json"])
    if rng.random() < 0.2:
        headers.append(["x-amzn-extra", "  two   spaces  inside  "])
    token = "".join(rng.choice("ABCDEFabcdef0123456789+/=") for _ in range(64)) if i % 2 else ""
    when = 1420070400 + rng.randint(0, 400_000_000)
    return {
        "method": method, "path": path, "query": query, "headers": headers, "body": body,
        "access_key": "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)),
        "secret_key": "".join(rng.choice("ABCDEFabcdef0123456789+/") for _ in range(40)),
        "token": token, "region": region, "service": service, "when": when,
    }


class RecordingSigV4(botocore.auth.SigV4Auth):
    """botocore's signer, keeping the canonical request it signed."""

    def canonical_request(self, request):
        self.recorded = super().canonical_request(request)
        return self.recorded


def sign(c):
    url = f"http://{dict(c['headers'])['host']}{c['path']}" + (f"?{c['query']}" if c["query"] else "")
    req = AWSRequest(method=c["method"], url=url, headers=dict(c["headers"]), data=c["body"].encode())
    auth = RecordingSigV4(Credentials(c["access_key"], c["secret_key"], c["token"] or None),
                          c["service"], c["region"])
    now = datetime.datetime.fromtimestamp(c["when"], datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now):
        auth.add_auth(req)
    return {**c, "canonical_request": auth.recorded, "authorization": req.headers["Authorization"]}


def cases(n=64, seed=20150830):
    rng = random.Random(seed)
    return [sign(case(rng, i)) for i in range(n)]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_text(json.dumps(cases(), indent=1, ensure_ascii=False) + "\n")
