"""The random provider (every resource type) under valgrind and under ASan/UBSan while a CLI drives a whole lifecycle.

Every process Terraform or OpenTofu spawns (schema load, validate, plan, apply, import, destroy) runs
checked; any error or leak report fails the test.  test_every_type_runs_checked keeps the memcheck
tests covering every type every provider serves.
"""

import re
from pathlib import Path

import pytest

from conftest import REPO, required_providers
from memcheck import TOOLS, assert_clean, checked_cli

CONFIG = required_providers("random") + """
resource "random_id" "a" {
  byte_length = 8
  keepers     = { round = "%s" }
}

resource "random_id" "b" {
  byte_length = 3
  prefix      = "p-"
}

resource "random_id" "imp" {
  byte_length = 4
  prefix      = "cloud-"
}

resource "random_bytes" "imp" {
  length = 5
}

resource "random_integer" "imp" {
  min  = -7
  max  = 0
  seed = "my seed"
}

resource "random_string" "imp" {
  length = 8
}

resource "random_uuid" "u" {}

resource "random_uuid" "imp" {}

resource "random_uuid4" "imp" {}

resource "random_password" "p" {
  length           = 20
  min_special      = 2
  override_special = "_\u00e4"
  keepers          = { round = "%s" }
}

resource "random_password" "imp" {
  length = 8
}

resource "random_string" "s" {
  length = 10
  number = false
}

resource "random_bytes" "b" {
  length = 16
}

resource "random_integer" "n" {
  min  = -5
  max  = 5
  seed = "s"
}

resource "random_pet" "pet" {
  length = 4
  prefix = "x"
}

resource "random_shuffle" "sh" {
  input        = ["a", "b", "c"]
  result_count = 5
}

resource "random_uuid4" "u4" {}

resource "random_uuid7" "imp" {}
"""

# Every importable type, through import blocks: one plan imports them all.
IMPORTS = {
    "random_id.imp": "cloud-,AenA7A",
    "random_bytes.imp": "AAECA/8=",
    "random_integer.imp": "-3,-7,0,my seed",
    "random_password.imp": "Abc-1234",
    "random_string.imp": "Abc-1234",
    "random_uuid.imp": "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
    "random_uuid4.imp": "{1b4e28ba-2fa1-41d2-883f-0016d3cca427}",
    "random_uuid7.imp": "urn:uuid:017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
}
CONFIG += "".join(f'import {{\n  to = {to}\n  id = "{id}"\n}}\n' for to, id in IMPORTS.items())


@pytest.mark.parametrize("tool,name", TOOLS)
def test_lifecycle_is_clean(tool, name, tmp_path):
    cli = checked_cli(tmp_path, "random", tool, name)
    cli.write_tf(CONFIG % ("1", "1"))
    cli.apply()
    assert cli.resources()["random_integer.imp"]["result"] == -3
    assert cli.plan_exit_code() == 0
    cli.write_tf(CONFIG % ("2", "2"))
    actions = cli.actions()
    for address in ("random_id.a", "random_password.p"):
        assert actions[address] in (["delete", "create"], ["create", "delete"])
    cli.apply()
    cli.destroy()
    assert cli.state_list() == []
    assert_clean(tmp_path, tool, min_runs=4)


def test_every_type_runs_checked():
    """Each resource, data source and ephemeral resource in schema/ appears in a memcheck test's configuration."""
    keyword = {"resources": "resource", "data-sources": "data", "ephemeral-resources": "ephemeral"}
    tests = [p.read_text() for p in Path(__file__).parent.glob("test_*.py") if "checked_cli(" in p.read_text()]
    missing = [f"{keyword[f.parent.name]} {f.stem}" for f in sorted((REPO / "schema").glob("*/*/*.json"))
               if not any(re.search(rf'\b{keyword[f.parent.name]} \\?"{f.stem}\\?"', t) for t in tests)]
    assert len(list((REPO / "schema").glob("*/*/*.json"))) >= 28  # the types served today
    assert missing == []
