"""data "aws_iot_endpoint" through both CLIs against moto: all four endpoint types, the default, errors
(a bad endpoint_type: test_bad_input.py)."""

import re

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)

TYPES = ["iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"]


def endpoints_config(url, **provider_attrs):
    blocks = "".join(f'data "aws_iot_endpoint" "t{i}" {{\n  endpoint_type = "{t}"\n}}\n'
                     for i, t in enumerate(TYPES))
    outputs = "".join(f'output "t{i}" {{ value = data.aws_iot_endpoint.t{i} }}\n' for i in range(len(TYPES)))
    return (PROVIDER + provider_block(endpoint=url, **provider_attrs) + blocks
            + 'data "aws_iot_endpoint" "default" {}\noutput "default" { value = data.aws_iot_endpoint.default }\n'
            + outputs)


def test_all_types(cli, moto, tmp_path):
    env = aws_env(tmp_path)
    cli.write_tf(endpoints_config(moto.url))
    cli.init(env=env)
    cli.apply(env=env)
    out = cli.outputs()
    for i, t in enumerate(TYPES):
        attrs = out[f"t{i}"]
        assert attrs["endpoint_type"] == t
        assert attrs["id"] == attrs["endpoint_address"]
        assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", attrs["endpoint_address"]), attrs
    assert "-ats." in out["t1"]["endpoint_address"]
    assert out["default"]["endpoint_type"] is None
    assert out["default"]["endpoint_address"]


def test_account_from_sts_and_env_endpoint(cli, moto, tmp_path):
    """No endpoints block: AWS_ENDPOINT_URL points at moto; credentials are validated by STS."""
    env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url)
    cli.write_tf(PROVIDER + provider_block() + 'data "aws_iot_endpoint" "x" {\n  endpoint_type = "iot:Data-ATS"\n}\n'
                 'output "a" { value = data.aws_iot_endpoint.x.endpoint_address }\n')
    cli.init(env=env)
    cli.apply(env=env)
    assert "-ats.iot.eu-west-1.amazonaws.com" in cli.outputs()["a"]


def test_unreachable_endpoint_names_operation(cli, tmp_path):
    from aws_fixtures import free_port
    env = aws_env(tmp_path)
    url = f"http://127.0.0.1:{free_port()}"
    cli.write_tf(PROVIDER + provider_block(endpoint=url, skip=True, max_retries=2)
                 + 'data "aws_iot_endpoint" "x" {}\n')
    cli.init(env=env)
    r = cli.run("plan", check=False, env=env)
    text = " ".join(r.output.split())
    assert r.rc != 0 and "DescribeEndpoint" in text and "2 attempts" in text
