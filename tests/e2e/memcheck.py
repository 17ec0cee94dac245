"""Running a provider checked by valgrind or ASan/UBSan while a real CLI drives it.

checked_cli() builds the provider (the plain build for valgrind, the SAN=1 build for ASan), puts it
behind a dev_overrides wrapper that runs every process the CLI starts under the tool, and returns a
Cli configured to use it.  assert_clean() then fails on any error or leak report.
"""

import stat
import subprocess
from pathlib import Path

from conftest import CLIS, NAMESPACE, REPO, Cli, clean_env

SUPPRESSIONS = Path(__file__).with_name("lsan.supp")
TOOLS = [("valgrind", "tofu"), ("asan", "terraform")]  # valgrind is slow: each tool takes one CLI


def build(provider, tool):
    target = f"build/{'san/' if tool == 'asan' else ''}terraform-provider-{provider}"
    r = subprocess.run(["make", "-s", "-C", str(REPO), target] + (["SAN=1"] if tool == "asan" else []),
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=1800)
    assert r.returncode == 0, r.stdout + r.stderr
    return REPO / target


def wrapper(bindir, logs, provider, binary, tool):
    """terraform-provider-<provider> in bindir, running `binary` under `tool` with reports in logs."""
    if tool == "valgrind":
        run = (f"exec valgrind --quiet --error-exitcode=99 --leak-check=full "
               f"--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect "
               f"--log-file={logs}/vg.%p.log {binary} \"$@\"")
    else:
        run = (f"ASAN_OPTIONS=log_path={logs}/asan:detect_leaks=1:fast_unwind_on_malloc=0 "
               f"LSAN_OPTIONS=suppressions={SUPPRESSIONS}:print_suppressions=0 "
               f"UBSAN_OPTIONS=log_path={logs}/ubsan:print_stacktrace=1 exec {binary} \"$@\"")
    exe = bindir / f"terraform-provider-{provider}"
    exe.write_text(f"#!/bin/sh\n{run}\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)


def checked_cli(tmp_path, provider, tool, cli_name, **env):
    """A Cli whose `provider` runs under `tool`; its reports go to tmp_path/logs."""
    bindir, logs = tmp_path / "bin", tmp_path / "logs"
    bindir.mkdir()
    logs.mkdir()
    wrapper(bindir, logs, provider, build(provider, tool), tool)
    rc = tmp_path / "cli.tfrc"
    rc.write_text(f'provider_installation {{\n  dev_overrides {{\n    "{NAMESPACE}/{provider}" = "{bindir}"\n'
                  "  }\n  direct {}\n}\n")
    return Cli(cli_name, CLIS[cli_name], tmp_path / cli_name, clean_env(TF_CLI_CONFIG_FILE=str(rc), **env))


def assert_clean(tmp_path, tool, min_runs):
    """No report in the logs, and (for valgrind, which logs every run) at least min_runs runs."""
    logs = tmp_path / "logs"
    reports = {p.name: p.read_text() for p in logs.iterdir() if p.read_text().strip()}
    assert not reports, "\n\n".join(f"--- {n}\n{t}" for n, t in reports.items())
    if tool == "valgrind":
        assert len(list(logs.iterdir())) >= min_runs, "the provider did not run under valgrind"
