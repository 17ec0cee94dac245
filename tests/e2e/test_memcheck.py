"""The random provider under valgrind and under ASan/UBSan while a CLI drives a whole lifecycle.

The CLI starts the provider through a dev_overrides wrapper, so every process Terraform or OpenTofu
spawns (schema load, validate, plan, apply, import, destroy) runs checked; any error or leak report
fails the test.
"""

import stat
import subprocess
from pathlib import Path

import pytest

from conftest import CLIS, NAMESPACE, REPO, Cli, clean_env, required_providers

SUPPRESSIONS = Path(__file__).with_name("lsan.supp")

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


def build(san):
    target = "build/san/terraform-provider-random" if san else "build/terraform-provider-random"
    args = ["make", "-s", "-C", str(REPO), target] + (["SAN=1"] if san else [])
    r = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=1800)
    assert r.returncode == 0, r.stdout + r.stderr
    return REPO / target


def wrapper(tmp_path, binary, tool):
    """A terraform-provider-random that runs `binary` under `tool`; returns (dir, log dir)."""
    bindir, logs = tmp_path / "bin", tmp_path / "logs"
    bindir.mkdir()
    logs.mkdir()
    if tool == "valgrind":
        run = (f"exec valgrind --quiet --error-exitcode=99 --leak-check=full "
               f"--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect "
               f"--log-file={logs}/vg.%p.log {binary} \"$@\"")
    else:
        run = (f"ASAN_OPTIONS=log_path={logs}/asan:detect_leaks=1:fast_unwind_on_malloc=0 "
               f"LSAN_OPTIONS=suppressions={SUPPRESSIONS} "
               f"UBSAN_OPTIONS=log_path={logs}/ubsan:print_stacktrace=1 exec {binary} \"$@\"")
    exe = bindir / "terraform-provider-random"
    exe.write_text(f"#!/bin/sh\n{run}\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return bindir, logs


# valgrind is slow (seconds per provider start), so each tool takes one CLI.
@pytest.mark.parametrize("tool,name", [("valgrind", "tofu"), ("asan", "terraform")])
def test_lifecycle_is_clean(tool, name, tmp_path):
    binary = build(san=tool == "asan")
    bindir, logs = wrapper(tmp_path, binary, tool)
    rc = tmp_path / "cli.tfrc"
    rc.write_text(f'provider_installation {{\n  dev_overrides {{\n    "{NAMESPACE}/random" = "{bindir}"\n'
                  "  }\n  direct {}\n}\n")
    cli = Cli(name, CLIS[name], tmp_path / name, clean_env(TF_CLI_CONFIG_FILE=str(rc)))
    cli.write_tf(CONFIG % "1")
    cli.import_("random_id.imp", "cloud-,AenA7A")
    cli.apply()
    assert cli.plan_exit_code() == 0
    cli.write_tf(CONFIG % "2")
    assert cli.actions()["random_id.a"] in (["delete", "create"], ["create", "delete"])
    cli.apply()
    cli.destroy()
    assert cli.state_list() == []

    reports = {p.name: p.read_text() for p in logs.iterdir() if p.read_text().strip()}
    assert not reports, "\n\n".join(f"--- {n}\n{t}" for n, t in reports.items())
    if tool == "valgrind":
        assert len(list(logs.iterdir())) >= 5, "the provider did not run under valgrind"
