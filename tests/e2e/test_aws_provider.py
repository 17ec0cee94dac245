"""The provider block through both CLIs: every upstream (hashicorp/aws v6) argument is accepted, the ones
with no effect here say so, and bad values are errors on their attribute."""

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)

EVERYTHING = dict(
    profile="p", shared_config_files=["/nonexistent/c"], shared_credentials_files=["/nonexistent/k"],
    token="session", allowed_account_ids=["123456789012"], custom_ca_bundle="/etc/ssl/certs/ca-certificates.crt",
    ec2_metadata_service_endpoint="http://127.0.0.1:1", ec2_metadata_service_endpoint_mode="IPv4",
    http_proxy="", https_proxy="", no_proxy="127.0.0.1", insecure=False, max_retries=3, retry_mode="adaptive",
    s3_use_path_style=True, s3_us_east_1_regional_endpoint="regional", skip_metadata_api_check="true",
    skip_region_validation=False, sts_region="eu-west-1", tag_policy_compliance="disabled",
    token_bucket_rate_limiter_capacity=100, use_dualstack_endpoint=False, use_fips_endpoint=False,
    user_agent=["thingform-test/1.0"],
)
BLOCKS = """  assume_role {
    duration            = "15m"
    external_id         = "ext"
    policy_arns         = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    session_name        = "s"
    source_identity     = "me"
    tags                = { team = "iot" }
    transitive_tag_keys = ["team"]
  }
  default_tags {
    tags = { env = "test" }
  }
  ignore_tags {
    keys         = ["a"]
    key_prefixes = ["kubernetes.io/"]
  }
"""


def test_every_upstream_argument_is_accepted(cli, moto, tmp_path):
    env = aws_env(tmp_path)
    tf = provider_block(endpoint=moto.url, blocks=BLOCKS, **EVERYTHING).replace(
        "  endpoints {\n", "  endpoints {\n    s3 = \"http://127.0.0.1:1\"\n")
    cli.write_tf(PROVIDER + tf + 'data "aws_iot_endpoint" "x" {}\n')
    cli.init(env=env)
    cli.validate(env=env)
    r = cli.apply(env=env)
    text = " ".join(r.output.split())
    # the CLIs fold warnings with the same summary into the first one
    assert "Argument has no effect" in text and "is accepted for compatibility with hashicorp/aws" in text
    assert "more similar warnings" in text


def test_bad_values_are_errors_on_their_attribute(cli, tmp_path):
    env = aws_env(tmp_path)
    for label, attrs, want in (
        ("mode", dict(retry_mode="fast"), "retry_mode"),
        ("region", dict(region="Mars"), "Invalid region"),
        ("md", dict(skip_metadata_api_check="maybe"), "skip_metadata_api_check"),
    ):
        c = cli.fresh(label)
        c.write_tf(PROVIDER + provider_block(skip=False, **attrs) + 'data "aws_iot_endpoint" "x" {}\n')
        c.init(env=env)
        r = c.run("plan", check=False, env=env)
        assert r.rc != 0 and want in " ".join(r.output.split()), r.output


def test_missing_region_is_a_configure_error(cli, tmp_path):
    env = aws_env(tmp_path)
    cli.write_tf(PROVIDER + provider_block(skip=True).replace('  region = "eu-west-1"\n', "")
                 + 'data "aws_arn" "x" {\n  arn = "arn:aws:s3:::b"\n}\n')
    cli.init(env=env)
    r = cli.run("plan", check=False, env=env)
    assert r.rc != 0 and "Missing region" in r.output
