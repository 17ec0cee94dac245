"""The throttling proxy that bench/fleet measures with: over quota it answers as AWS IoT does, under quota it
forwards, and its counts match what the client saw (boto3 with retries off); its token bucket holds the
quota."""

import time

import botocore.config
import botocore.exceptions
import pytest

from aws_fixtures import Moto, moto, moto_server  # noqa: F401 (fixtures)
from iot_proxy import ThrottleProxy, achieved_rate

QUOTA = 5  # DescribeEndpoint per second; other operations unlimited
CALLS = 40


def no_retries_client(url):
    return Moto(url).client("iot", config=botocore.config.Config(retries={"total_max_attempts": 1}))


def test_over_quota_is_throttled_as_aws_answers(moto):
    with ThrottleProxy(moto.url, quotas={"DescribeEndpoint": QUOTA}) as proxy:
        iot = no_retries_client(proxy.url)
        ok = throttled = 0
        start = time.monotonic()
        for _ in range(CALLS):
            try:
                iot.describe_endpoint(endpointType="iot:Data-ATS")
                ok += 1
            except botocore.exceptions.ClientError as e:
                err = e.response
                assert err["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
                assert err["ResponseMetadata"]["HTTPStatusCode"] == 400
                throttled += 1
        elapsed = time.monotonic() - start
        # An unlimited operation is never throttled, however fast it comes.
        for i in range(CALLS):
            iot.create_thing(thingName=f"unlimited-{i}")

        stats = proxy.stats()
        assert throttled > 0, "nothing was throttled: the proxy does not enforce the quota"
        assert ok <= QUOTA + elapsed * QUOTA + 1
        assert (stats["DescribeEndpoint"]["forwarded"], stats["DescribeEndpoint"]["throttled"]) == (ok, throttled)
        assert stats["DescribeEndpoint"]["quota"] == QUOTA
        assert [sum(n) for n in zip(*stats["DescribeEndpoint"]["per_second"])] == [ok, throttled]
        assert (stats["CreateThing"]["forwarded"], stats["CreateThing"]["throttled"]) == (CALLS, 0)
        assert stats["CreateThing"]["quota"] is None


def test_bucket_admits_the_quota_and_a_one_second_burst():
    """20 requests a second offered for 5 s (a made-up clock) to a quota of 5/s: the one-second burst, then
    5 a second; an unlimited operation admits all."""
    proxy = ThrottleProxy("http://127.0.0.1:9", quotas={"DescribeEndpoint": QUOTA})  # never started
    times = [i / 20 for i in range(100)]
    admitted = [t for t in times if proxy._admit("DescribeEndpoint", t)]
    assert len(admitted) == QUOTA + 5 * QUOTA - 1
    late = [t for t in admitted if t >= 1.0]
    assert achieved_rate(len(late), late[-1] - late[0]) == pytest.approx(QUOTA, rel=0.1)
    assert all(proxy._admit("CreateThing", t) for t in times)
    proxy.httpd.server_close()
