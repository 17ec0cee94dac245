"""data "aws_arn" through both CLIs: parsing, plan-time errors on `arn`, no AWS call needed."""

import pytest

from aws_fixtures import PROVIDER, aws_env, provider_block


def arn_config(arn):
    return (PROVIDER + provider_block(skip=True) + f'data "aws_arn" "x" {{\n  arn = "{arn}"\n}}\n'
            'output "parts" { value = data.aws_arn.x }\n')


CASES = {
    "arn:aws:iot:eu-west-1:123456789012:thing/sensor:1": dict(
        partition="aws", service="iot", region="eu-west-1", account="123456789012", resource="thing/sensor:1"),
    "arn:aws-us-gov:s3:::bucket/key": dict(partition="aws-us-gov", service="s3", region="", account="",
                                             resource="bucket/key"),
    "arn:aws-cn:iam::aws:policy/Admin": dict(partition="aws-cn", service="iam", region="", account="aws",
                                               resource="policy/Admin"),
}


def test_parts(cli, tmp_path):
    env = aws_env(tmp_path)
    for i, (arn, parts) in enumerate(CASES.items()):
        c = cli.fresh(f"case{i}")
        c.write_tf(arn_config(arn))
        c.init(env=env)
        c.apply(env=env)
        assert c.outputs()["parts"] == {"arn": arn, "id": arn, **parts}


@pytest.mark.parametrize("arn, reason", [
    ("not-an-arn", "invalid prefix"),
    ("arn:aws:iot:eu-west-1", "not enough sections"),
    ("arn:aws:iot:EU-1:123456789012:thing/x", "invalid region value"),
    ("arn:aws:iot:eu-west-1:12345:thing/x", "invalid account ID value"),
    ("arn:aws:iot:eu-west-1:123456789012:", "missing resource value"),
    ("arn:azure:iot:eu-west-1:123456789012:thing/x", "invalid partition value"),
])
def test_invalid_is_plan_error(cli, tmp_path, arn, reason):
    env = aws_env(tmp_path)
    cli.write_tf(arn_config(arn))
    cli.init(env=env)
    r = cli.run("validate", check=False, env=env)
    assert r.rc != 0
    text = " ".join(r.output.split())  # the CLIs wrap long lines
    assert reason in text and "Invalid ARN" in text
    assert 'arn = "' in r.output  # Terraform points at the attribute's line
