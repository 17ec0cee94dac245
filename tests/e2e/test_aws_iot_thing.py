"""resource "aws_iot_thing" through both CLIs against moto, each step checked out of band with boto3.

Create, a second plan with no changes, attributes and thing type updated in place, the map emptied, drift
(deleted and changed out of band), import (CLI, `import` block, -generate-config-out) and destroy; its bad
input is in test_bad_input.py.
"""

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)


def thing(name="dev-1", attributes=None, thing_type=None, label="t"):
    lines = [f'  name = "{name}"']
    if attributes is not None:
        items = "".join(f'    "{k}" = "{v}"\n' for k, v in attributes.items())
        lines.append("  attributes = {\n" + items + "  }")
    if thing_type:
        lines.append(f'  thing_type_name = "{thing_type}"')
    return f'resource "aws_iot_thing" "{label}" {{\n' + "\n".join(lines) + "\n}\n"


def setup(cli, moto, tmp_path, body):
    env = aws_env(tmp_path)
    cli.env = {**cli.env, **env}
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url, skip=True) + body)
    cli.init()
    return moto.client("iot")


def described(iot, name):
    d = iot.describe_thing(thingName=name)
    return d.get("attributes", {}), d.get("thingTypeName")


def test_lifecycle(cli, moto, tmp_path):
    iot = setup(cli, moto, tmp_path, thing(attributes={"model": "x1", "site": "berlin"}))
    cli.apply()
    assert described(iot, "dev-1") == ({"model": "x1", "site": "berlin"}, None)
    state = cli.resources()["aws_iot_thing.t"]
    arn = iot.describe_thing(thingName="dev-1")["thingArn"]
    assert state["arn"] == arn and state["id"] == "dev-1" and state["name"] == "dev-1"
    assert state["default_client_id"] == "dev-1" and state["region"] == "eu-west-1"
    assert isinstance(state["version"], int)
    assert cli.plan_exit_code() == 0

    iot.create_thing_type(thingTypeName="sensor")
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url, skip=True)
                 + thing(attributes={"model": "x2", "rack": "r7"}, thing_type="sensor"))
    assert cli.actions() == {"aws_iot_thing.t": ["update"]}
    cli.apply()
    assert described(iot, "dev-1") == ({"model": "x2", "rack": "r7"}, "sensor")
    assert iot.describe_thing(thingName="dev-1")["thingArn"] == arn, "updated in place, not replaced"
    assert cli.plan_exit_code() == 0

    # An emptied map clears every attribute; dropping the type dissociates it.
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url, skip=True) + thing(attributes={}))
    cli.apply()
    assert described(iot, "dev-1") == ({}, None)
    assert cli.plan_exit_code() == 0
    # Leaving `attributes` out (null, where the state has {}) settles in one apply.
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url, skip=True) + thing())
    cli.apply()
    assert described(iot, "dev-1") == ({}, None)
    assert cli.resources()["aws_iot_thing.t"]["attributes"] is None
    assert cli.plan_exit_code() == 0

    cli.destroy()
    assert iot.list_things()["things"] == []
    assert cli.state_list() == []


def test_unknown_type_is_an_apply_error_naming_the_operation(cli, moto, tmp_path):
    iot = setup(cli, moto, tmp_path, thing(thing_type="no-such-type"))
    r = cli.apply(check=False)
    text = " ".join(r.output.split())
    assert r.rc != 0 and "CreateThing" in text and "ResourceNotFoundException" in text, r.output
    assert iot.list_things()["things"] == [] and cli.state_list() == []


def test_drift_changed_and_deleted(cli, moto, tmp_path):
    iot = setup(cli, moto, tmp_path, thing(attributes={"model": "x1"}))
    cli.apply()

    iot.update_thing(thingName="dev-1", attributePayload={"attributes": {"model": "hacked", "extra": "1"}})
    assert cli.actions() == {"aws_iot_thing.t": ["update"]}
    cli.apply()
    assert described(iot, "dev-1") == ({"model": "x1"}, None)
    assert cli.plan_exit_code() == 0

    iot.delete_thing(thingName="dev-1")
    assert cli.actions() == {"aws_iot_thing.t": ["create"]}
    cli.apply()
    assert described(iot, "dev-1") == ({"model": "x1"}, None)
    assert cli.plan_exit_code() == 0


def make_out_of_band(iot):
    iot.create_thing_type(thingTypeName="sensor")
    iot.create_thing(thingName="legacy-7", thingTypeName="sensor",
                     attributePayload={"attributes": {"fw": "1.2.3", "room": "a#4"}})


CONFIG = thing(name="legacy-7", attributes={"fw": "1.2.3", "room": "a#4"}, thing_type="sensor")


def test_import_from_cli(cli, moto, tmp_path):
    iot = setup(cli, moto, tmp_path, CONFIG)
    make_out_of_band(iot)
    cli.import_("aws_iot_thing.t", "legacy-7")
    state = cli.resources()["aws_iot_thing.t"]
    assert state["attributes"] == {"fw": "1.2.3", "room": "a#4"} and state["thing_type_name"] == "sensor"
    assert state["region"] == "eu-west-1" and state["id"] == "legacy-7"
    assert cli.plan_exit_code() == 0


def test_import_with_a_region_suffix(cli, moto, tmp_path):
    """v6's ID@REGION import form: the region comes from the id, and the plan is clean."""
    iot = setup(cli, moto, tmp_path, CONFIG[:-2] + '  region = "eu-west-1"\n}\n')
    make_out_of_band(iot)
    cli.import_("aws_iot_thing.t", "legacy-7@eu-west-1")
    state = cli.resources()["aws_iot_thing.t"]
    assert state["id"] == "legacy-7" and state["name"] == "legacy-7" and state["region"] == "eu-west-1"
    assert cli.plan_exit_code() == 0


def test_region_of_another_partition_is_a_plan_error(cli, moto, tmp_path):
    setup(cli, moto, tmp_path, thing()[:-2] + '  region = "cn-north-1"\n}\n')
    r = cli.plan(check=False)
    assert r.rc != 0 and "Invalid region" in r.output and "partition" in r.output, r.output


def test_import_of_a_missing_thing_fails(cli, moto, tmp_path):
    setup(cli, moto, tmp_path, CONFIG)
    r = cli.import_("aws_iot_thing.t", "legacy-7", check=False)
    assert r.rc != 0 and "legacy-7" in r.output, r.output
    assert cli.state_list() == []


def test_import_rejects_a_bad_name(cli, moto, tmp_path):
    setup(cli, moto, tmp_path, CONFIG)
    r = cli.import_("aws_iot_thing.t", "not a name", check=False)
    assert r.rc != 0 and "Invalid import id" in r.output, r.output


def test_import_block(cli, moto, tmp_path):
    iot = setup(cli, moto, tmp_path, CONFIG + 'import {\n  to = aws_iot_thing.t\n  id = "legacy-7"\n}\n')
    make_out_of_band(iot)
    assert cli.actions() == {"aws_iot_thing.t": ["no-op"]}
    cli.apply()
    assert cli.resources()["aws_iot_thing.t"]["attributes"] == {"fw": "1.2.3", "room": "a#4"}
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert iot.list_things()["things"] == []


def test_generate_config_out(cli, moto, tmp_path):
    iot = setup(cli, moto, tmp_path, 'import {\n  to = aws_iot_thing.t\n  id = "legacy-7"\n}\n')
    make_out_of_band(iot)
    cli.plan("-generate-config-out=gen.tf")
    generated = (cli.workdir / "gen.tf").read_text()
    assert 'name' in generated and "legacy-7" in generated and "sensor" in generated, generated
    assert cli.actions() == {"aws_iot_thing.t": ["no-op"]}
    cli.apply()
    assert cli.plan_exit_code() == 0
    assert described(iot, "legacy-7") == ({"fw": "1.2.3", "room": "a#4"}, "sensor")


def test_unknown_values_are_checked_at_apply_not_plan(cli, moto, tmp_path):
    """Values unknown at plan time pass validation; the real values are then created."""
    setup(cli, moto, tmp_path,
          'resource "terraform_data" "n" {\n  input = "late-1"\n}\n'
          'resource "aws_iot_thing" "t" {\n  name = terraform_data.n.output\n'
          '  attributes = { (terraform_data.n.output) = terraform_data.n.output }\n}\n')
    cli.apply()
    assert described(moto.client("iot"), "late-1") == ({"late-1": "late-1"}, None)
