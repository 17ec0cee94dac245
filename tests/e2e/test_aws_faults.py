"""The aws client under faults, through both CLIs: throttling and 503s are retried, HTML is not, a sustained
overload is absorbed by the adaptive rate limiter.  (StopProvider ending retry sleeps is a unit test,
aws_client_stop_ends_retries: neither CLI sends StopProvider on SIGINT while a data source is being read.)

Every endpoint is a FaultServer on 127.0.0.1, bounded in requests and in time."""

import time

import pytest

from aws_fixtures import PROVIDER, FaultServer, aws_env, provider_block


def endpoint_tf(url, count=1, **attrs):
    reads = "".join(f'data "aws_iot_endpoint" "e{i}" {{\n  endpoint_type = "iot:Data-ATS"\n}}\n' for i in range(count))
    return PROVIDER + provider_block(endpoint=url, skip=True, **attrs) + reads


@pytest.mark.parametrize("status, code", [(400, "ThrottlingException"), (503, "ServiceUnavailableException"),
                                          (500, "InternalFailure")])
def test_first_failures_are_retried(cli, tmp_path, status, code):
    env = aws_env(tmp_path)
    with FaultServer(mode="first_n", n=3, status=status, code=code) as fs:
        cli.write_tf(endpoint_tf(fs.url, max_retries=5))
        cli.init(env=env)
        cli.apply(env=env)
        assert (fs.failures, fs.requests) == (3, 4)


def test_retries_stop_at_max_retries_with_a_clear_error(cli, tmp_path):
    env = aws_env(tmp_path)
    with FaultServer(mode="first_n", n=100, status=400, code="ThrottlingException") as fs:
        cli.write_tf(endpoint_tf(fs.url, max_retries=3))
        cli.init(env=env)
        r = cli.run("apply", "-auto-approve", check=False, env=env)
        text = " ".join(r.output.split())
        assert r.rc != 0 and fs.requests == 3
        assert "DescribeEndpoint failed after 3 attempts" in text
        assert "ThrottlingException: Rate exceeded" in text and "request id req-3" in text


def test_html_answer_is_not_retried(cli, tmp_path):
    env = aws_env(tmp_path)
    with FaultServer(mode="html") as fs:
        cli.write_tf(endpoint_tf(fs.url, max_retries=25))
        cli.init(env=env)
        start = time.monotonic()
        r = cli.run("apply", "-auto-approve", check=False, env=env)
        assert r.rc != 0 and fs.requests == 1
        assert "not an AWS API error" in " ".join(r.output.split())
        assert time.monotonic() - start < 60


def test_sustained_overload_has_no_failures(cli, tmp_path):
    """40 reads, 10 at a time, against an API that admits 5 requests a second."""
    env = aws_env(tmp_path)
    with FaultServer(mode="rate", rate=5.0, max_requests=1500, max_seconds=240) as fs:
        cli.write_tf(endpoint_tf(fs.url, count=40, max_retries=10, retry_mode="adaptive"))
        cli.init(env=env)
        cli.apply(env=env)
        assert fs.failures > 0, "the server never throttled: the test proves nothing"
        assert fs.requests - fs.failures == 40
