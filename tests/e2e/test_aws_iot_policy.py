"""resource "aws_iot_policy" through both CLIs against moto, checked out of band with boto3.

Versions (seven document changes keep at most five, the newest the default), equivalent documents (no
diff, in the configuration or out of band), tags with default_tags and ignore_tags (no new version),
import three ways, drift, delete with extra versions and the bounded DeleteConflict retry (bad input:
test_bad_input.py).
"""

import json
import time

import pytest

from aws_fixtures import PROVIDER, aws_env, hcl, moto, moto_server, provider_block  # noqa: F401 (fixtures)


def use_aws_env(cli, tmp_path, **extra):
    """Every command of this `cli` runs with aws_env (the CLI helpers take no env of their own)."""
    cli.env = {**cli.env, **aws_env(tmp_path, **extra)}


def doc(*actions, resource="*", effect="Allow"):
    return {"Version": "2012-10-17",
            "Statement": [{"Effect": effect, "Action": list(actions), "Resource": resource}]}


def policy_tf(url, body, provider_blocks="", **provider_attrs):
    return PROVIDER + provider_block(endpoint=url, blocks=provider_blocks, **provider_attrs) + body


def resource(name="door", policy=None, tags=None, extra=""):
    """An aws_iot_policy "p"; `policy` is HCL text (jsonencode(...) or a heredoc)."""
    if policy is None:
        policy = f"jsonencode({hcl(doc('iot:Connect'))})"
    lines = [f'  name   = "{name}"', f"  policy = {policy}"]
    if tags is not None:
        lines.append(f"  tags   = {hcl(tags)}")
    return 'resource "aws_iot_policy" "p" {\n' + "\n".join(lines) + "\n" + extra + "}\n"


def heredoc(text):
    return f"<<-EOT\n{text}\nEOT"


def versions(iot, name):
    return iot.list_policy_versions(policyName=name)["policyVersions"]


def tags_of(iot, name):
    arn = iot.get_policy(policyName=name)["policyArn"]
    return {t["Key"]: t["Value"] for t in iot.list_tags_for_resource(resourceArn=arn)["tags"]}


def test_create_seven_updates_and_destroy(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    cli.write_tf(policy_tf(moto.url, resource()))
    cli.init()
    cli.apply()
    got = iot.get_policy(policyName="door")
    assert json.loads(got["policyDocument"]) == doc("iot:Connect")
    st = cli.resources()["aws_iot_policy.p"]
    assert st["arn"] == got["policyArn"] == "arn:aws:iot:eu-west-1:123456789012:policy/door"
    assert st["default_version_id"] == "1" and st["id"] == "door" and st["region"] == "eu-west-1"
    assert st["tags_all"] == {} and st["tags"] is None
    assert cli.plan_exit_code() == 0

    for i in range(2, 9):  # seven changes in a row
        cli.write_tf(policy_tf(moto.url, resource(policy=f"jsonencode({hcl(doc('iot:Connect', f'iot:Publish{i}'))})")))
        assert cli.actions() == {"aws_iot_policy.p": ["update"]}
        cli.apply()
        vs = versions(iot, "door")
        assert len(vs) <= 5, vs
        newest = max(vs, key=lambda v: int(v["versionId"]))
        assert newest["isDefaultVersion"] and newest["versionId"] == str(i), vs
        assert sum(v["isDefaultVersion"] for v in vs) == 1
        got = iot.get_policy(policyName="door")
        assert got["defaultVersionId"] == str(i)
        assert json.loads(got["policyDocument"]) == doc("iot:Connect", f"iot:Publish{i}")
        assert cli.resources()["aws_iot_policy.p"]["default_version_id"] == str(i)
    assert cli.plan_exit_code() == 0

    cli.destroy()
    assert iot.list_policies()["policies"] == []
    assert cli.state_list() == []


EQUIVALENT = [
    # reformatted and keys reordered
    heredoc('{\n  "Statement": [ { "Resource": "*", "Action": [ "iot:Connect" ], "Effect": "Allow" } ],\n'
            '  "Version": "2012-10-17"\n}'),
    # a string instead of a one-element list, Effect in lower case, one statement as an object
    heredoc('{"Version":"2012-10-17","Statement":{"Effect":"allow","Action":"iot:Connect","Resource":["*"]}}'),
]


def test_equivalent_documents_show_no_diff(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    two = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iot:Connect"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"], "Resource": ["arn:a", "arn:b"]}]}
    cli.write_tf(policy_tf(moto.url, resource(policy=f"jsonencode({hcl(doc('iot:Connect'))})")))
    cli.init()
    cli.apply()
    for text in EQUIVALENT:
        cli.write_tf(policy_tf(moto.url, resource(policy=text)))
        assert cli.plan_exit_code() == 0, text
        cli.apply()  # nothing to do: no new version
        assert len(versions(iot, "door")) == 1

    # two statements, then the same in another order and with lists reordered
    cli.write_tf(policy_tf(moto.url, resource(policy=f"jsonencode({hcl(two)})")))
    cli.apply()
    assert len(versions(iot, "door")) == 2
    swapped = {"Statement": [
        {"Resource": ["arn:b", "arn:a"], "Action": ["iot:Receive", "iot:Publish"], "Effect": "Allow"},
        {"Resource": ["*"], "Action": "iot:Connect", "Effect": "Allow"}], "Version": "2012-10-17"}
    cli.write_tf(policy_tf(moto.url, resource(policy=f"jsonencode({hcl(swapped)})")))
    assert cli.plan_exit_code() == 0

    # AWS holds a reformatted but equivalent document (a new default version made out of band): no diff
    iot.create_policy_version(policyName="door", setAsDefault=True,
                              policyDocument=json.dumps(swapped, indent=3))
    assert cli.plan_exit_code() == 0
    # ...but a document that means something else is planned back
    iot.create_policy_version(policyName="door", setAsDefault=True,
                              policyDocument=json.dumps(doc("iot:Connect", effect="Deny")))
    assert cli.actions() == {"aws_iot_policy.p": ["update"]}
    cli.apply()
    assert json.loads(iot.get_policy(policyName="door")["policyDocument"]) == swapped
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert iot.list_policies()["policies"] == []


def test_tags_default_tags_and_ignore_tags(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path, TF_AWS_DEFAULT_TAGS_owner="ops", TF_AWS_DEFAULT_TAGS_env="from-env",
                TF_AWS_IGNORE_TAGS_KEYS="envignored")
    iot = moto.client("iot")
    blocks = ('  default_tags {\n    tags = { env = "prod", team = "iot" }\n  }\n'
              '  ignore_tags {\n    keys = ["ignored"]\n    key_prefixes = ["tmp:"]\n  }\n')
    cli.write_tf(policy_tf(moto.url, resource(tags={"team": "fleet", "app": "door"}), blocks))
    cli.init()
    cli.apply()
    want = {"env": "prod", "team": "fleet", "app": "door", "owner": "ops"}
    assert tags_of(iot, "door") == want
    st = cli.resources()["aws_iot_policy.p"]
    assert st["tags"] == {"team": "fleet", "app": "door"} and st["tags_all"] == want
    assert cli.plan_exit_code() == 0

    # tags AWS adds, or that ignore_tags names, are no change
    arn = st["arn"]
    iot.tag_resource(resourceArn=arn, tags=[{"Key": "ignored", "Value": "x"}, {"Key": "tmp:build", "Value": "7"},
                                            {"Key": "aws:system", "Value": "1"}, {"Key": "envignored", "Value": "1"}])
    assert cli.plan_exit_code() == 0

    # a tag-only change: Untag/Tag, no new version
    cli.write_tf(policy_tf(moto.url, resource(tags={"app": "gate"}), blocks))
    assert cli.actions() == {"aws_iot_policy.p": ["update"]}
    cli.apply()
    assert tags_of(iot, "door") == {"env": "prod", "team": "iot", "app": "gate", "owner": "ops",
                                    "ignored": "x", "tmp:build": "7", "aws:system": "1", "envignored": "1"}
    assert len(versions(iot, "door")) == 1
    assert iot.get_policy(policyName="door")["defaultVersionId"] == "1"
    assert cli.plan_exit_code() == 0

    # a tag added out of band is planned away; a default tag changed out of band is planned back
    iot.tag_resource(resourceArn=arn, tags=[{"Key": "extra", "Value": "1"}, {"Key": "env", "Value": "dev"}])
    assert cli.actions() == {"aws_iot_policy.p": ["update"]}
    cli.apply()
    tags = tags_of(iot, "door")
    assert "extra" not in tags and tags["env"] == "prod"
    assert cli.plan_exit_code() == 0

    # a tag set on the resource that equals a default stays in `tags`
    cli.write_tf(policy_tf(moto.url, resource(tags={"app": "gate", "env": "prod"}), blocks))
    cli.apply()
    assert cli.resources()["aws_iot_policy.p"]["tags"] == {"app": "gate", "env": "prod"}
    assert cli.plan_exit_code() == 0
    assert len(versions(iot, "door")) == 1
    cli.destroy()
    assert iot.list_policies()["policies"] == []


IMPORT_DOC = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iot:Publish"], "Resource": ["arn:aws:iot:eu-west-1:123456789012:topic/x"]}]}


def import_setup(moto):
    iot = moto.client("iot")
    iot.create_policy(policyName="imported", policyDocument=json.dumps(IMPORT_DOC, indent=2),
                      tags=[{"Key": "app", "Value": "door"}])
    return iot


def import_config(moto, block=""):
    equivalent = heredoc('{"Statement":{"Resource":"arn:aws:iot:eu-west-1:123456789012:topic/x",'
                         '"Effect":"Allow","Action":"iot:Publish"},"Version":"2012-10-17"}')
    return policy_tf(moto.url, resource(name="imported", policy=equivalent, tags={"app": "door"})) + block


def test_import_cli(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    iot = import_setup(moto)
    cli.write_tf(import_config(moto))
    cli.init()
    cli.import_("aws_iot_policy.p", "imported")
    st = cli.resources()["aws_iot_policy.p"]
    assert st["name"] == st["id"] == "imported" and st["region"] == "eu-west-1"
    assert st["tags"] == {"app": "door"} and st["default_version_id"] == "1"
    assert json.loads(st["policy"]) == IMPORT_DOC
    assert cli.plan_exit_code() == 0
    # an unknown name is an error, not an empty resource
    cli.write_tf(import_config(moto) + resource(name="nope").replace('"p"', '"q"'))
    r = cli.run("import", "aws_iot_policy.q", "nope", check=False)
    assert r.rc != 0 and "non-existent" in r.output.replace("nonexistent", "non-existent"), r.output
    r = cli.run("import", "aws_iot_policy.q", "bad name", check=False)
    assert r.rc != 0 and "Invalid import ID" in r.output, r.output
    cli.write_tf(import_config(moto))
    cli.destroy()
    assert iot.list_policies()["policies"] == []


def test_import_block(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    import_setup(moto)
    cli.write_tf(import_config(moto, 'import {\n  to = aws_iot_policy.p\n  id = "imported"\n}\n'))
    cli.init()
    plan = cli.plan_json()
    assert [rc["change"]["actions"] for rc in plan["resource_changes"]] == [["no-op"]]
    cli.apply()
    assert cli.plan_exit_code() == 0


def test_import_generate_config(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    import_setup(moto)
    cli.write_tf(policy_tf(moto.url, 'import {\n  to = aws_iot_policy.p\n  id = "imported"\n}\n'))
    cli.init()
    cli.plan("-generate-config-out=gen.tf")
    generated = (cli.workdir / "gen.tf").read_text()
    assert 'name' in generated and "imported" in generated
    cli.apply()
    assert cli.plan_exit_code() == 0


def test_drift_deleted_out_of_band(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    cli.write_tf(policy_tf(moto.url, resource(tags={"app": "door"})))
    cli.init()
    cli.apply()
    iot.delete_policy(policyName="door")
    assert cli.actions() == {"aws_iot_policy.p": ["create"]}
    cli.apply()
    assert tags_of(iot, "door") == {"app": "door"}
    assert cli.plan_exit_code() == 0
    cli.destroy()


def test_delete_with_extra_versions(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    cli.write_tf(policy_tf(moto.url, resource()))
    cli.init()
    cli.apply()
    for i in range(3):  # versions made out of band, not the default: no diff
        iot.create_policy_version(policyName="door", setAsDefault=False,
                                  policyDocument=json.dumps(doc(f"iot:Extra{i}")))
    assert len(versions(iot, "door")) == 4
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert iot.list_policies()["policies"] == []


def test_delete_conflict_retries_until_timeout(cli, moto, tmp_path):
    """A policy attached out of band cannot be deleted: retried until timeouts.delete, then an error."""
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    cli.write_tf(policy_tf(moto.url, resource(extra='  timeouts {\n    delete = "4s"\n  }\n')))
    cli.init()
    cli.apply()
    cert = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.attach_policy(policyName="door", target=cert)
    start = time.monotonic()
    r = cli.destroy(check=False)
    took = time.monotonic() - start
    text = " ".join(r.output.split())
    assert r.rc != 0 and "DeletePolicy" in text and "DeleteConflictException" in text, r.output
    assert 3 < took < 60, took
    assert cli.state_list() == ["aws_iot_policy.p"]  # still there, still in the state
    iot.detach_policy(policyName="door", target=cert)
    cli.destroy()
    assert iot.list_policies()["policies"] == []


def test_region_change_replaces(cli, moto, tmp_path):
    use_aws_env(cli, tmp_path)
    cli.write_tf(policy_tf(moto.url, resource()))
    cli.init()
    cli.apply()
    cli.write_tf(policy_tf(moto.url, resource(extra='  region = "eu-central-1"\n')))
    assert cli.actions() == {"aws_iot_policy.p": ["delete", "create"]}


def test_interrupt_ends_the_delete_conflict_retry(cli, moto, tmp_path):
    """Ctrl-C during a DeleteConflict retry (timeouts.delete 5m): StopProvider ends it at once."""
    import signal
    import subprocess
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    cli.write_tf(policy_tf(moto.url, resource()))
    cli.init()
    cli.apply()
    cert = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.attach_policy(policyName="door", target=cert)
    proc = subprocess.Popen([str(cli.exe), "destroy", "-input=false", "-no-color", "-auto-approve"],
                            cwd=cli.workdir, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, stdin=subprocess.DEVNULL)
    try:
        time.sleep(6)  # well into the retries
        assert proc.poll() is None, proc.communicate()[0]
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out = proc.communicate(timeout=60)[0]
        assert time.monotonic() - start < 20
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0, out
    assert "aws_iot_policy.p" in cli.state_list()
    assert iot.get_policy(policyName="door")["policyName"] == "door"
    iot.detach_policy(policyName="door", target=cert)
    cli.destroy()
    assert iot.list_policies()["policies"] == []


@pytest.mark.parametrize("example", ["aws_iot_policy", "aws_iot_policy_attachment"])
def test_example_applies(cli, moto, tmp_path, example):
    """The docs' example, as written, applies against moto, plans no changes and destroys clean."""
    from conftest import REPO
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url))
    cli.write_tf((REPO / "examples" / "resources" / example / "resource.tf").read_text(), name="example.tf")
    cli.init()
    cli.apply()
    assert [p["policyName"] for p in iot.list_policies()["policies"]] == ["door-sensor"]
    if example == "aws_iot_policy_attachment":
        cert = cli.resources()["aws_iot_certificate.door"]["arn"]
        assert [p["policyName"] for p in iot.list_attached_policies(target=cert)["policies"]] == ["door-sensor"]
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert iot.list_policies()["policies"] == []
