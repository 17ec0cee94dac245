"""The random provider (every resource type) under valgrind and under ASan/UBSan while a CLI drives a whole lifecycle.

Every process Terraform or OpenTofu spawns (schema load, validate, plan, apply, import, destroy) runs
checked; any error or leak report fails the test.
"""

import pytest

from conftest import required_providers
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


@pytest.mark.parametrize("tool,name", TOOLS)
def test_lifecycle_is_clean(tool, name, tmp_path):
    cli = checked_cli(tmp_path, "random", tool, name)
    cli.write_tf(CONFIG % ("1", "1"))
    cli.import_("random_id.imp", "cloud-,AenA7A")
    cli.import_("random_password.imp", "Abc-1234")
    cli.import_("random_uuid7.imp", "017f22e2-79b0-7cc3-98c4-dc0c0c07398f")
    cli.apply()
    assert cli.plan_exit_code() == 0
    cli.write_tf(CONFIG % ("2", "2"))
    actions = cli.actions()
    for address in ("random_id.a", "random_password.p"):
        assert actions[address] in (["delete", "create"], ["create", "delete"])
    cli.apply()
    cli.destroy()
    assert cli.state_list() == []
    assert_clean(tmp_path, tool, min_runs=5)
