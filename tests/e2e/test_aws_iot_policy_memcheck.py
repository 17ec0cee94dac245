"""aws_iot_policy and aws_iot_policy_attachment under valgrind (tofu) and ASan/UBSan (terraform):
create with tags and default_tags, an update that prunes a version at the limit and changes tags,
refresh, import, a delete that retries DeleteConflict, and bad input."""

import json

import pytest

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401
from memcheck import TOOLS, assert_clean, checked_cli


def config(url, action, tags, target, timeout="3s"):
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})
    blocks = ('  default_tags {\n    tags = { env = "prod" }\n  }\n'
              '  ignore_tags {\n    key_prefixes = ["tmp:"]\n  }\n')
    return (PROVIDER + provider_block(endpoint=url, blocks=blocks)
            + f'resource "aws_iot_policy" "p" {{\n  name = "door"\n  policy = {json.dumps(doc)}\n'
            + "  tags = {" + ", ".join(f'{k} = "{v}"' for k, v in tags.items()) + "}\n"
            + f'  timeouts {{\n    delete = "{timeout}"\n  }}\n}}\n'
            + 'resource "aws_iot_policy_attachment" "a" {\n  policy = aws_iot_policy.p.name\n'
            + f'  target = "{target}"\n}}\n')


@pytest.mark.parametrize("tool,name", TOOLS)
def test_policy_and_attachment_are_clean(tool, name, moto, tmp_path):
    iot = moto.client("iot")
    cert = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    cli = checked_cli(tmp_path, "aws", tool, name, **aws_env(tmp_path))
    cli.write_tf(config(moto.url, "iot:Connect", {"app": "door"}, cert))
    cli.apply()
    for i in range(4):  # the policy is at the five-version limit now
        iot.create_policy_version(policyName="door", setAsDefault=False,
                                  policyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))
    iot.tag_resource(resourceArn=iot.get_policy(policyName="door")["policyArn"],
                     tags=[{"Key": "tmp:x", "Value": "1"}, {"Key": "extra", "Value": "1"}])
    cli.write_tf(config(moto.url, ["iot:Connect", "iot:Publish"], {"app": "gate", "team": "x"}, cert))
    cli.apply()
    assert len(iot.list_policy_versions(policyName="door")["policyVersions"]) == 5
    cli.run("state", "rm", "aws_iot_policy.p", "aws_iot_policy_attachment.a")
    cli.import_("aws_iot_policy.p", "door")
    cli.import_("aws_iot_policy_attachment.a", f"door|{cert}")
    cli.apply()  # only the timeouts block, which an import cannot know, is new: no call to AWS
    assert iot.get_policy(policyName="door")["defaultVersionId"] == "6"
    assert cli.plan_exit_code() == 0
    iot.attach_policy(policyName="door", target=iot.create_keys_and_certificate()["certificateArn"])
    assert cli.destroy(check=False).rc != 0  # DeleteConflict until timeouts.delete
    cli.write_tf(config(moto.url, "iot:Connect", {"app": "door"}, "not-a-target").replace('name = "door"', 'name = "a b"'))
    assert cli.run("validate", check=False).rc != 0
    assert_clean(tmp_path, tool, min_runs=6)
