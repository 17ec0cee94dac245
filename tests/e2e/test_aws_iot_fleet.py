"""A fleet of 50 devices through both CLIs against moto, with -parallelism=50.

Each device is a thing, a certificate with generated keys, the thing's principal attachment and the
shared policy's attachment to the certificate.  The apply and the destroy must both succeed, the second
plan must be empty, and moto is checked out of band: every thing has exactly its own certificate, every
certificate is ACTIVE with the policy attached, and after destroy nothing is left.
"""

from aws_fixtures import PROVIDER, aws_env, iot_fleet_tf, moto, moto_server, provider_block  # noqa: F401 (fixtures)

DEVICES = 50


def fleet_config(url):
    return PROVIDER + provider_block(endpoint=url) + iot_fleet_tf(DEVICES, "fleet", "fleet-policy")


def all_things(iot):
    names, kw = [], {}
    while True:
        page = iot.list_things(maxResults=250, **kw)
        names += [t["thingName"] for t in page["things"]]
        if not page.get("nextToken"):
            return names
        kw = {"nextToken": page["nextToken"]}


def assert_backend_empty(iot):
    assert all_things(iot) == []
    assert iot.list_certificates()["certificates"] == []
    assert iot.list_policies()["policies"] == []


def test_fleet_of_50(cli, moto, tmp_path):
    cli.env = {**cli.env, **aws_env(tmp_path)}
    iot = moto.client("iot")
    cli.write_tf(fleet_config(moto.url))
    cli.init()
    cli.apply("-parallelism=50")

    state = cli.resources()
    assert len([a for a in state if a.startswith("aws_iot_thing.device[")]) == DEVICES
    assert sorted(all_things(iot)) == [f"fleet-{i:02d}" for i in range(DEVICES)]
    certs = iot.list_certificates()["certificates"]
    assert len(certs) == DEVICES and all(c["status"] == "ACTIVE" for c in certs)
    for i in range(DEVICES):
        cert_arn = state[f"aws_iot_certificate.device[{i}]"]["arn"]
        assert iot.list_thing_principals(thingName=f"fleet-{i:02d}")["principals"] == [cert_arn]
        attached = iot.list_attached_policies(target=cert_arn)["policies"]
        assert [p["policyName"] for p in attached] == ["fleet-policy"]

    assert cli.plan_exit_code("-parallelism=50") == 0

    cli.destroy("-parallelism=50")
    assert cli.state_list() == []
    assert_backend_empty(iot)
