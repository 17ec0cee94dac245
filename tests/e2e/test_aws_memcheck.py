"""The aws provider under valgrind (tofu) and ASan/UBSan (terraform) while it configures with
assume_role against moto, reads both data sources and retries through a throttling fault server."""

import pytest

from aws_fixtures import PROVIDER, FaultServer, aws_env, moto, moto_server, provider_block  # noqa: F401
from memcheck import TOOLS, assert_clean, checked_cli


@pytest.mark.parametrize("tool,name", TOOLS)
def test_data_sources_are_clean(tool, name, moto, tmp_path):
    env = aws_env(tmp_path)
    with FaultServer(mode="first_n", n=2, status=400, code="ThrottlingException") as fs:
        role = '  assume_role {\n    role_arn = "arn:aws:iam::111122223333:role/r"\n  }\n'
        tf = (PROVIDER + provider_block(endpoint=moto.url, blocks=role)
              + 'provider "aws" {\n  alias = "faulty"\n  region = "eu-west-1"\n  access_key = "AKIA0"\n'
              '  secret_key = "s"\n  skip_credentials_validation = true\n  skip_requesting_account_id = true\n'
              f'  endpoints {{\n    iot = "{fs.url}"\n  }}\n}}\n'
              'data "aws_arn" "a" {\n  arn = "arn:aws:iot:eu-west-1:123456789012:thing/x"\n}\n'
              'data "aws_iot_endpoint" "e" {\n  endpoint_type = "iot:Jobs"\n}\n'
              'data "aws_iot_endpoint" "f" {\n  provider = aws.faulty\n}\n')
        cli = checked_cli(tmp_path, "aws", tool, name, **env)
        cli.write_tf(tf)
        cli.apply()
        assert fs.requests == 3
    assert_clean(tmp_path, tool, min_runs=2)
