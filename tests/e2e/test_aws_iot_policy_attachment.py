"""resource "aws_iot_policy_attachment" through both CLIs against moto, checked out of band with boto3.

The target certificate is made with boto3.  Another policy attached out of band comes first in
ListAttachedPolicies, so a read that took the first policy (as upstream's does) would be fooled.
"""

import json

import pytest

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)
from iot_proxy import ListProxy

DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}]})


def use_aws_env(cli, tmp_path):
    cli.env = {**cli.env, **aws_env(tmp_path)}


def config(url, target, import_block=""):
    return (PROVIDER + provider_block(endpoint=url)
            + f'resource "aws_iot_policy" "p" {{\n  name   = "door"\n  policy = {json.dumps(DOC)}\n}}\n'
            + 'resource "aws_iot_policy_attachment" "a" {\n  policy = aws_iot_policy.p.name\n'
            + f'  target = "{target}"\n}}\n' + import_block)


def attached(iot, target):
    return [p["policyName"] for p in iot.list_attached_policies(target=target)["policies"]]


@pytest.fixture
def cert(moto):
    """A certificate with another policy already attached to it (out of band)."""
    iot = moto.client("iot")
    arn = iot.create_keys_and_certificate(setAsActive=True)["certificateArn"]
    iot.create_policy(policyName="aaa-other", policyDocument=DOC)
    iot.attach_policy(policyName="aaa-other", target=arn)
    return arn


def test_attach_drift_import_destroy(cli, moto, cert, tmp_path):
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    cli.write_tf(config(moto.url, cert))
    cli.init()
    cli.apply()
    assert sorted(attached(iot, cert)) == ["aaa-other", "door"]
    st = cli.resources()["aws_iot_policy_attachment.a"]
    assert st["id"] == f"door|{cert}" and st["region"] == "eu-west-1"
    assert cli.plan_exit_code() == 0

    # detached out of band: planned for re-creation although another policy is still attached
    iot.detach_policy(policyName="door", target=cert)
    assert {k: v for k, v in cli.actions().items() if v != ["no-op"]} == {"aws_iot_policy_attachment.a": ["create"]}
    cli.apply()
    assert "door" in attached(iot, cert)
    assert cli.plan_exit_code() == 0

    # import from the CLI, then through an import block
    cli.run("state", "rm", "aws_iot_policy_attachment.a")
    cli.import_("aws_iot_policy_attachment.a", f"door|{cert}")
    assert cli.resources()["aws_iot_policy_attachment.a"]["id"] == f"door|{cert}"
    assert cli.plan_exit_code() == 0
    cli.run("state", "rm", "aws_iot_policy_attachment.a")
    cli.write_tf(config(moto.url, cert, f'import {{\n  to = aws_iot_policy_attachment.a\n  id = "door|{cert}"\n}}\n'))
    plan = cli.plan_json()
    assert {rc["address"]: rc["change"]["actions"] for rc in plan["resource_changes"]} == {
        "aws_iot_policy.p": ["no-op"], "aws_iot_policy_attachment.a": ["no-op"]}
    cli.apply()
    assert cli.plan_exit_code() == 0

    cli.destroy()
    assert attached(iot, cert) == ["aaa-other"]
    assert [p["policyName"] for p in iot.list_policies()["policies"]] == ["aaa-other"]
    assert cli.state_list() == []


def test_import_of_missing_attachment_fails(cli, moto, cert, tmp_path):
    use_aws_env(cli, tmp_path)
    cli.write_tf(config(moto.url, cert).replace("aws_iot_policy.p.name", '"aaa-nope"'))
    cli.init()
    r = cli.run("import", "aws_iot_policy_attachment.a", f"aaa-nope|{cert}", check=False)
    assert r.rc != 0 and "non-existent" in r.output.replace("nonexistent", "non-existent"), r.output


@pytest.mark.parametrize("import_id", ["door", "door|", "|arn:aws:iot:eu-west-1:123456789012:cert/ab",
                                       "door|arn|x", "door|not-a-target"])
def test_bad_import_id(cli, tmp_path, import_id):
    use_aws_env(cli, tmp_path)
    cli.write_tf(PROVIDER + provider_block(skip=True)
                 + 'resource "aws_iot_policy_attachment" "a" {\n  policy = "door"\n  target = "x"\n}\n')
    cli.init()
    r = cli.run("import", "aws_iot_policy_attachment.a", import_id, check=False)
    text = " ".join(r.output.split())
    assert r.rc != 0 and ("Invalid id" in text or "Invalid import ID" in text), r.output
    assert "POLICY_NAME|TARGET" in text


def test_create_waits_for_a_lagging_list(cli, moto, cert, tmp_path):
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    with ListProxy(moto.url, hide=3) as proxy:
        cli.write_tf(config(proxy.url, cert))
        cli.init()
        cli.apply()
        assert proxy.lists >= 4 and proxy.hide == 0
        assert "door" in attached(iot, cert)
        assert cli.plan_exit_code() == 0
        cli.destroy()
    assert attached(iot, cert) == ["aaa-other"]


def test_create_gives_up_on_a_list_that_never_shows_it(cli, moto, cert, tmp_path):
    """After ~10 s the attachment (which exists) is kept in the state, tainted, with an error."""
    import time
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    with ListProxy(moto.url, hide=10**6) as proxy:
        cli.write_tf(config(proxy.url, cert))
        cli.init()
        start = time.monotonic()
        r = cli.apply(check=False)
        took = time.monotonic() - start
        text = " ".join(r.output.split())
        assert r.rc != 0 and "Attachment not visible" in text and "tainted" in text, r.output
        assert 9 < took < 120, took
        assert "aws_iot_policy_attachment.a" in cli.state_list()
        assert "door" in attached(iot, cert)
        proxy.hide = 0
        assert {k: v for k, v in cli.actions().items() if v != ["no-op"]} == {
            "aws_iot_policy_attachment.a": ["delete", "create"]}  # tainted: replaced
        cli.apply()
        assert cli.plan_exit_code() == 0
        cli.destroy()
    assert attached(iot, cert) == ["aaa-other"]


def test_reads_every_page(cli, moto, cert, tmp_path):
    """Lists in pages of one: the attachment is found on the last page, the policy's tags on several."""
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    for name in ("aaa-2", "aaa-3"):
        iot.create_policy(policyName=name, policyDocument=DOC)
        iot.attach_policy(policyName=name, target=cert)
    tags = 'tags = { a = "1", b = "2", c = "3" }\n'
    with ListProxy(moto.url, page_size=1) as proxy:
        cli.write_tf(config(proxy.url, cert).replace("  policy = " + json.dumps(DOC), "  policy = " + json.dumps(DOC)
                                                     + "\n  " + tags, 1))
        cli.init()
        cli.apply()
        assert attached(iot, cert)[-1] == "door" and len(attached(iot, cert)) == 4
        before = proxy.pages
        assert cli.plan_exit_code() == 0
        assert proxy.pages - before >= 3 + 2  # three next markers and two next tokens, at least
        assert cli.resources()["aws_iot_policy.p"]["tags_all"] == {"a": "1", "b": "2", "c": "3"}
        iot.detach_policy(policyName="door", target=cert)
        assert {k: v for k, v in cli.actions().items() if v != ["no-op"]} == {"aws_iot_policy_attachment.a": ["create"]}
        cli.destroy()


def test_generate_config_out(cli, moto, cert, tmp_path):
    """An attachment made out of band, imported with -generate-config-out: the generated configuration
    then plans No changes, and destroy detaches exactly that policy."""
    use_aws_env(cli, tmp_path)
    iot = moto.client("iot")
    iot.create_policy(policyName="door", policyDocument=DOC)
    iot.attach_policy(policyName="door", target=cert)
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url)
                 + f'import {{\n  to = aws_iot_policy_attachment.a\n  id = "door|{cert}"\n}}\n')
    cli.init()
    cli.plan("-generate-config-out=gen.tf")
    generated = (cli.workdir / "gen.tf").read_text()
    assert '"door"' in generated and cert in generated, generated
    assert cli.actions() == {"aws_iot_policy_attachment.a": ["no-op"]}
    cli.apply()
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert attached(iot, cert) == ["aaa-other"]
