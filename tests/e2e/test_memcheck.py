"""The random provider under valgrind and under ASan/UBSan while a CLI drives a whole lifecycle.

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
"""


@pytest.mark.parametrize("tool,name", TOOLS)
def test_lifecycle_is_clean(tool, name, tmp_path):
    cli = checked_cli(tmp_path, "random", tool, name)
    cli.write_tf(CONFIG % "1")
    cli.import_("random_id.imp", "cloud-,AenA7A")
    cli.apply()
    assert cli.plan_exit_code() == 0
    cli.write_tf(CONFIG % "2")
    assert cli.actions()["random_id.a"] in (["delete", "create"], ["create", "delete"])
    cli.apply()
    cli.destroy()
    assert cli.state_list() == []
    assert_clean(tmp_path, tool, min_runs=5)
