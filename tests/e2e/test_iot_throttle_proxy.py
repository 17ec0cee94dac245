"""The throttling proxy that bench/fleet measures with: over quota it answers as AWS IoT does, under quota it
forwards, and its counts match what the client saw.  boto3 talks to it with retries off."""

import time

import botocore.config
import botocore.exceptions
import pytest

from aws_fixtures import Moto, moto, moto_server  # noqa: F401 (fixtures)
from iot_proxy import ThrottleProxy

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
        assert (stats["CreateThing"]["forwarded"], stats["CreateThing"]["throttled"]) == (CALLS, 0)
        assert stats["CreateThing"]["quota"] is None


def test_achieved_rate_stays_at_quota(moto):
    """Paced just over the quota for 2 s, the proxy forwards at the quota and reports that rate."""
    with ThrottleProxy(moto.url, quotas={"DescribeEndpoint": QUOTA}) as proxy:
        iot = no_retries_client(proxy.url)
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            try:
                iot.describe_endpoint(endpointType="iot:Data-ATS")
            except botocore.exceptions.ClientError:
                pass
            time.sleep(1.0 / (QUOTA * 4))
        s = proxy.stats()["DescribeEndpoint"]
        assert s["throttled"] > 0
        assert s["tps"] == pytest.approx(QUOTA, rel=0.5)
        proxy.reset_stats()
        assert proxy.stats() == {}
