"""--debug: the provider serves on its own and each CLI attaches to it through TF_REATTACH_PROVIDERS."""

import json
import re
import signal
import subprocess
from pathlib import Path

from conftest import NAMESPACE, REPO, clean_env, required_providers

CONFIG = required_providers("random") + 'resource "random_id" "dbg" {\n  byte_length = 4\n}\n'


def test_debug_mode_serves_both_clis(cli, tmp_path):
    binary = REPO / "build" / "terraform-provider-random"
    p = subprocess.Popen([str(binary), "--debug"], env=clean_env(TMPDIR=str(tmp_path)),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not any("TF_REATTACH_PROVIDERS=" in line for line in lines):
            line = p.stdout.readline()
            assert line, f"no reattach line: {lines!r}"
            lines.append(line)
        value = re.search(r"TF_REATTACH_PROVIDERS='(.*)'", "".join(lines)).group(1)
        reattach = json.loads(value)
        entry = reattach[f"{NAMESPACE}/random"]
        assert entry["Pid"] == p.pid and entry["Test"] is True and entry["ProtocolVersion"] == 6
        assert entry["Protocol"] == "grpc" and entry["Addr"]["Network"] == "unix"
        sock = Path(entry["Addr"]["String"])
        assert sock.exists()

        cli.write_tf(CONFIG)
        env = {"TF_REATTACH_PROVIDERS": value}
        cli.apply(env=env)
        assert cli.run("plan", "-detailed-exitcode", env=env, check=False).rc == 0
        cli.destroy(env=env)
        assert p.poll() is None, "the provider stopped when the CLI finished"
    finally:
        p.send_signal(signal.SIGINT)  # in --debug, Ctrl-C stops it
        rc = p.wait(timeout=5)
    assert rc == 0, p.stderr.read()
    assert not sock.parent.exists(), "the socket directory was left behind"
