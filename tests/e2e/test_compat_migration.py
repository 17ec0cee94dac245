"""Moving state written by the official providers to ours (tests/compat/<provider>/), under both CLIs.

Each fixture is a configuration and the state the official provider wrote for it. The test points the
configuration at our provider, runs `state replace-provider`, then expects a plan with no changes, an
update applied by ours, and a clean plan again; what the update did not touch keeps the official
provider's values.
"""

import json

import pytest

from conftest import NAMESPACE, REPO
from http_servers import Server

COMPAT = REPO / "tests" / "compat"


@pytest.fixture(scope="module")
def server():
    s = Server()
    yield s
    s.close()


def migrate(cli, name, *var_args):
    """The fixture in cli's directory, moved to our provider and planned: No changes."""
    fixture = COMPAT / name
    official = f'source = "hashicorp/{name}"'
    text = (fixture / "main.tf").read_text()
    assert official in text
    cli.write_tf(text.replace(official, f'source = "{NAMESPACE}/{name}"'))
    (cli.workdir / "terraform.tfstate").write_text((fixture / "terraform.tfstate").read_text())
    before = state_values(cli)

    r = cli.run("state", "replace-provider", "-auto-approve",
                f"registry.terraform.io/hashicorp/{name}", f"{NAMESPACE}/{name}")
    assert f"Successfully replaced provider for {len(before)} resources" in r.stdout
    cli.init()
    assert cli.plan_exit_code(*var_args) == 0
    assert "No changes." in cli.plan(*var_args).stdout
    providers = {r["provider_name"] for r in all_resources(cli.state())}
    assert f"{NAMESPACE}/{name}" in providers and not any("hashicorp" in p for p in providers)
    return before


def all_resources(state):
    return state.get("values", {}).get("root_module", {}).get("resources", [])


def state_values(cli):
    """{address: attributes} straight from the state file (no provider involved)."""
    doc = json.loads((cli.workdir / "terraform.tfstate").read_text())
    out = {}
    for res in doc["resources"]:
        if res["provider"].endswith(("hashicorp/terraform\"]", "builtin/terraform\"]")):
            continue
        prefix = "data." if res["mode"] == "data" else ""
        for inst in res["instances"]:
            out[f"{prefix}{res['type']}.{res['name']}"] = inst["attributes"]
    return out


def updated(cli, *var_args):
    """Applies with our provider, then expects a clean plan; returns the apply's stdout."""
    out = cli.apply(*var_args).stdout
    assert cli.plan_exit_code(*var_args) == 0
    return out


def test_random(cli):
    before = migrate(cli, "random")
    assert len(before) == 10
    out = updated(cli, "-var", "generation=2")
    assert "2 added, 0 changed, 2 destroyed" in out
    after = state_values(cli)
    for addr in ("random_id.id", "random_string.string"):
        assert after[addr]["keepers"] == {"generation": "2"}
        assert after[addr]["id"] != before[addr]["id"]
    assert after["random_string.string"]["result"] != before["random_string.string"]["result"]
    assert len(after["random_string.string"]["result"]) == 16
    assert after["random_id.id"]["hex"].startswith("fx-") and len(after["random_id.id"]["hex"]) == 3 + 16
    for addr in set(before) - {"random_id.id", "random_string.string"}:
        assert after[addr] == before[addr], addr


def test_tls(cli):
    before = migrate(cli, "tls")
    assert len(before) == 7
    out = updated(cli, "-var", "early_renewal_hours=48")
    assert "0 added, 2 changed, 0 destroyed" in out
    after = state_values(cli)
    for addr in ("tls_self_signed_cert.ca", "tls_locally_signed_cert.leaf"):
        assert after[addr]["early_renewal_hours"] == 48
        assert after[addr]["cert_pem"] == before[addr]["cert_pem"]
        assert {**after[addr], "early_renewal_hours": 24} == before[addr]
    for addr in set(before) - {"tls_self_signed_cert.ca", "tls_locally_signed_cert.leaf"}:
        assert after[addr] == before[addr], addr
    assert cli.outputs()["ed25519_fingerprint"] == before["data.tls_public_key.ed25519"]["public_key_fingerprint_sha256"]


def test_http(cli, server):
    plain = ("-var", f"url={server.url('/plain')}")
    before = migrate(cli, "http", *plain)
    assert before["data.http.page"]["response_body"] == "hello\n"
    out = updated(cli, "-var", f"url={server.url('/status/201')}")
    assert "0 added, 1 changed, 0 destroyed" in out
    page = {r["address"]: r["values"] for r in all_resources(cli.state())}["terraform_data.page"]
    assert page["output"] == {"status": 201, "body": "status 201"}
