"""random_id through the real CLIs: lifecycle, encodings, import, keepers, validation, provider logs."""

import base64
import re

import pytest

from conftest import required_providers

PROVIDER = required_providers("random")


def random_id(name, byte_length=4, prefix=None, keepers=None):
    lines = [f"  byte_length = {byte_length}"]
    if prefix is not None:
        lines.append(f'  prefix      = "{prefix}"')
    if keepers is not None:
        lines.append(f"  keepers     = {keepers}")
    return f'resource "random_id" "{name}" {{\n' + "\n".join(lines) + "\n}\n"


def check_encodings(attrs, length, prefix=""):
    """Check that all encodings of one random_id hold the same bytes; return the bytes."""
    raw = attrs["id"]
    assert re.fullmatch(r"[A-Za-z0-9_-]+", raw), f"id is not unpadded base64url: {raw!r}"
    data = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    assert base64.urlsafe_b64encode(data).rstrip(b"=").decode() == raw, "id is not canonical base64url"
    assert len(data) == length
    assert {k: attrs[k] for k in ("b64_url", "b64_std", "hex", "dec")} == {
        "b64_url": prefix + raw,
        "b64_std": prefix + base64.b64encode(data).decode(),
        "hex": prefix + data.hex(),
        "dec": prefix + str(int.from_bytes(data, "big")),
    }
    return data


# prefix, len(b64_url), len(b64_std), len(hex) for byte_length = 4
LENGTHS = {"plain": ("", 6, 8, 8), "prefixed": ("cloud-", 12, 14, 14)}


def test_lifecycle(cli):
    cli.write_tf(PROVIDER + random_id("plain") + random_id("prefixed", prefix="cloud-")
                 + 'output "plain" { value = random_id.plain }\noutput "prefixed" { value = random_id.prefixed }\n')
    cli.init()
    cli.validate()
    assert "2 to add, 0 to change, 0 to destroy" in cli.plan().stdout
    assert "2 added, 0 changed, 0 destroyed" in cli.apply().stdout
    assert cli.plan_exit_code() == 0
    assert "No changes." in cli.plan().stdout

    out = cli.outputs()
    assert cli.resources() == {f"random_id.{k}": v for k, v in out.items()}
    seen = set()
    for name, (prefix, n_url, n_std, n_hex) in LENGTHS.items():
        attrs = out[name]
        assert (attrs["byte_length"], attrs["prefix"], attrs["keepers"]) == (4, prefix or None, None)
        assert (len(attrs["b64_url"]), len(attrs["b64_std"]), len(attrs["hex"])) == (n_url, n_std, n_hex)
        assert attrs["b64_std"].endswith("==")
        assert re.fullmatch(re.escape(prefix) + "[0-9a-f]{8}", attrs["hex"])
        seen.add(check_encodings(attrs, 4, prefix))
    assert len(seen) == 2, "two resources got the same random bytes"


# bytes, config prefix, import id
IMPORTS = {
    "b64url": (bytes.fromhex("fbff00ff"), None, "-_8A_w"),
    "prefix": (bytes.fromhex("00fbefff"), "cloud-", "cloud-,APvv_w"),
}


@pytest.mark.parametrize("case", IMPORTS)
def test_import_then_state_rm(cli, case):
    data, prefix, import_id = IMPORTS[case]
    cli.write_tf(PROVIDER + random_id("imported", prefix=prefix))
    cli.init()
    cli.import_("random_id.imported", import_id)

    attrs = cli.resources()["random_id.imported"]
    assert check_encodings(attrs, 4, prefix or "") == data
    assert (attrs["byte_length"], attrs["prefix"], attrs["keepers"]) == (4, prefix, None)
    assert cli.plan_exit_code() == 0, "the imported resource does not match its configuration"

    cli.run("state", "rm", "random_id.imported")
    assert cli.state_list() == []
    assert cli.plan_exit_code() == 2


@pytest.mark.parametrize("bad_id", ["AAAAAA==", "cloud-,AAAAAA==", "+/8A/w", "not base64!"])
def test_import_rejects_bad_id(cli, bad_id):
    cli.write_tf(PROVIDER + random_id("imported"))
    cli.init()
    r = cli.import_("random_id.imported", bad_id, check=False)
    assert r.rc != 0 and "Error" in r.stderr, r.output
    assert cli.state_list() == []


def test_destroy_empties_state(cli):
    cli.write_tf(PROVIDER + random_id("one") + random_id("two", byte_length=16, prefix="p-"))
    cli.init()
    cli.apply()
    assert sorted(cli.state_list()) == ["random_id.one", "random_id.two"]
    assert "2 destroyed" in cli.destroy().stdout
    assert cli.state_list() == []
    assert cli.resources() == {}


REPLACE = [["delete", "create"], ["create", "delete"]]

# keepers in the config -> planned actions, applied before the next step
KEEPERS_STEPS = [
    (None, [["create"]]),
    ('{ a = "1" }', REPLACE),  # prior keepers null, a key is added
    ('{ a = "1" }', None),  # unchanged
    ('{ a = "2" }', REPLACE),  # value changed
    ('{ a = "2", b = "3" }', REPLACE),  # key added
]


def test_keepers_replace(cli):
    cli.write_tf(PROVIDER)
    cli.init()
    for keepers, expected in KEEPERS_STEPS:
        cli.write_tf(PROVIDER + random_id("k", keepers=keepers))
        if expected is None:
            assert cli.plan_exit_code() == 0, f"keepers {keepers} planned a change"
            continue
        actions = cli.actions()["random_id.k"]
        assert actions in expected, f"keepers {keepers}: planned {actions}, want {expected}"
        if expected is REPLACE:
            text = cli.plan().stdout
            assert "must be replaced" in text or "-/+" in text or "+/-" in text, text
        before = cli.resources().get("random_id.k", {}).get("id")
        cli.apply()
        assert cli.resources()["random_id.k"]["id"] != before


def test_byte_length_zero_is_an_error(cli):
    cli.write_tf(PROVIDER + random_id("zero", byte_length=0))
    cli.init()
    r = cli.plan(check=False)
    assert r.rc == 1, r.output
    assert "byte_length" in r.stderr


def test_provider_debug_log(cli):
    cli.write_tf(PROVIDER + random_id("logged"))
    cli.init()
    log = cli.workdir / "tf.log"
    cli.plan(env={"TF_LOG_PROVIDER": "debug", "TF_LOG_PATH": str(log)})
    ours = [line for line in log.read_text().splitlines() if "provider.terraform-provider-random_v0.1.0" in line]
    assert ours, "no log line from provider.terraform-provider-random_v0.1.0"
    assert any("[DEBUG]" in line and re.search(r"\brpc=\w|GetProviderSchema", line) for line in ours), "\n".join(ours[:20])


def test_many_in_parallel(cli):
    """Terraform calls the provider concurrently: 60 creates with -parallelism=20 all succeed, all distinct."""
    cli.write_tf(PROVIDER + 'resource "random_id" "many" {\n  count       = 60\n  byte_length = 8\n}\n')
    cli.init()
    assert "60 added" in cli.apply("-parallelism=20").stdout
    ids = [v["id"] for v in cli.resources().values()]
    assert len(ids) == 60 and len(set(ids)) == 60
    assert cli.plan_exit_code() == 0
    assert "60 destroyed" in cli.destroy("-parallelism=20").stdout
