"""data "aws_arn" through both CLIs: parsing, no AWS call needed (bad ARNs: test_bad_input.py)."""

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
