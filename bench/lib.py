"""Helpers shared by the benchmark harness (bench/micro.py, bench/report.py).

Finding the executables (ours from a `make install` mirror, the peers from PEERS), starting one as a
CLI would, statistics, and the machine description.  Nothing here measures by itself.
"""

import datetime
import json
import os
import platform
import re
import select
import shlex
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(
    os.environ.get("THINGFORM_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "thingform"
)
TERRAFORM = Path(os.environ.get("THINGFORM_TERRAFORM") or CACHE / "bin" / "terraform")
NAMES = ("random", "tls", "http")
OUR_NAMESPACE, OUR_VERSION, PLATFORM = "thingform.local/thingform", "0.1.0", "linux_amd64"

# The handshake code, the AutoMTLS certificate and the clean CLI environment are the end-to-end
# tests' own (tests/e2e).
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from conftest import clean_env  # noqa: E402,F401
from test_handshake import COOKIE, SHUTDOWN, Handshake, h2_unary, make_cert, tls_context  # noqa: E402

# The schema call of each protocol version a provider may pick (random v3 still serves tfplugin5).
GET_SCHEMA = {"5": "/tfplugin5.Provider/GetSchema", "6": "/tfplugin6.Provider/GetProviderSchema"}


class BenchError(SystemExit):
    """A precondition the user can fix; the message says how."""

    def __init__(self, message):
        super().__init__(f"bench: {message}")


@dataclass
class Provider:
    name: str      # random, tls, http
    side: str      # "ours" or "theirs"
    path: str      # the executable as installed
    version: str
    source: str    # the provider address a configuration names
    commit: str

    @property
    def label(self):
        return f"{self.side} {self.name}"


def git_commit():
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=True).stdout.strip()
    return head + ("-dirty" if dirty else "")


def our_providers(plugin_dir):
    """Our executables as `make install PLUGIN_DIR=plugin_dir` laid them out."""
    commit = git_commit()
    found = {}
    for name in NAMES:
        path = Path(plugin_dir) / OUR_NAMESPACE / name / OUR_VERSION / PLATFORM / \
            f"terraform-provider-{name}_v{OUR_VERSION}"
        if not os.access(path, os.X_OK):
            raise BenchError(f"{path} is missing after make install")
        found[name] = Provider(name, "ours", str(path), OUR_VERSION, f"{OUR_NAMESPACE}/{name}", commit)
    return found


def _go_commit(path):
    """The vcs.revision a Go toolchain records in an executable built from a git checkout, or None."""
    with open(path, "rb") as f:
        m = re.search(rb"\tvcs\.revision=([0-9a-f]{7,40})\n", f.read())
    return m.group(1).decode() if m else None


def peer_providers(peers_dir, commits_spec=""):
    """The official executables in peers_dir (terraform-provider-<name>_v<version>), one per name.
    commits_spec ("random=abc123,tls=...") names commits the executables do not record themselves."""
    if not peers_dir:
        raise BenchError("PEERS is not set: run `make bench PEERS=/dir`, where /dir holds the official "
                         "terraform-provider-<name>_v<version> executables of " + ", ".join(NAMES) +
                         " (the harness never builds them)")
    peers_dir = Path(peers_dir)
    if not peers_dir.is_dir():
        raise BenchError(f"PEERS={peers_dir} is not a directory")
    given = dict(kv.split("=", 1) for kv in commits_spec.split(",") if "=" in kv)
    found = {}
    for name in NAMES:
        matches = sorted(p for p in peers_dir.glob(f"terraform-provider-{name}_v*") if os.access(p, os.X_OK))
        if len(matches) != 1:
            what = "no executable" if not matches else f"{len(matches)} executables ({', '.join(m.name for m in matches)})"
            raise BenchError(f"PEERS={peers_dir} has {what} named terraform-provider-{name}_v<version>; "
                             f"put exactly one official hashicorp/{name} build there")
        path = matches[0]
        version = path.name.split("_v", 1)[1]
        commit = given.get(name) or _go_commit(path) or "unknown (give it with PEER_COMMITS=name=commit,...)"
        found[name] = Provider(name, "theirs", str(path), version, f"hashicorp/{name}", commit)
    return found


def summary(values):
    """{median, min, max, n} of a list of numbers."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def plugin_env(client_cert_pem, tmpdir):
    """The environment Terraform gives a provider it starts (AutoMTLS on), on top of a clean one.
    Terraform offers protocols 5 and 6; the provider picks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "TOFU_", "PLUGIN_"))}
    env.update(TF_PLUGIN_MAGIC_COOKIE=COOKIE, PLUGIN_PROTOCOL_VERSIONS="5,6", PLUGIN_MIN_PORT="10000",
               PLUGIN_MAX_PORT="25000", PLUGIN_CLIENT_CERT=client_cert_pem, TMPDIR=str(tmpdir))
    return env


def read_handshake(proc, what, timeout=120):
    """The first stdout line, as a Handshake, checked to be gRPC with a server certificate.
    Waits up to `timeout` seconds (valgrind is slow); raises BenchError otherwise."""
    line = b""
    fd = proc.stdout.fileno()
    deadline = time.monotonic() + timeout
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 4096) if ready else b""
        if not chunk:
            proc.kill()
            raise BenchError(f"{what}: no handshake line on stdout within {timeout} s "
                             f"(exit status {proc.wait()}, got {line!r})")
        line += chunk
    try:
        return parse_handshake(line, what)
    except BenchError:
        proc.kill()
        raise


def parse_handshake(line, what):
    """`line` (bytes, up to a newline) as a Handshake, checked to be gRPC with a server certificate."""
    fields = line.decode(errors="replace").split("\n", 1)[0].strip().split("|")
    if len(fields) < 6 or fields[0] != "1" or fields[4] != "grpc" or len(fields[5]) < 50:
        raise BenchError(f"{what}: not an AutoMTLS gRPC handshake line: {line!r}")
    return Handshake(fields)


def dev_overrides(work, commands):
    """A CLI configuration in `work` whose dev_overrides send each provider source ("host/namespace/name") to a
    wrapper script that execs `commands[source]` (argv) with the CLI's arguments.  Returns its path, for
    TF_CLI_CONFIG_FILE."""
    wrappers = work / "overrides"
    wrappers.mkdir()
    for source, argv in commands.items():
        wrapper = wrappers / f"terraform-provider-{source.rsplit('/', 1)[1]}"
        wrapper.write_text(f'#!/bin/sh\nexec {shlex.join(map(str, argv))} "$@"\n')
        wrapper.chmod(0o755)
    rc = work / "cli.tfrc"
    rc.write_text("provider_installation {\n  dev_overrides {\n"
                  + "".join(f'    "{source}" = "{wrappers}"\n' for source in commands)
                  + "  }\n  direct {}\n}\n")
    return rc


def start(argv, env):
    return subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)


def stop(proc, timeout=10):
    """SIGTERM (both go-plugin servers and ours exit cleanly on it), SIGKILL if that is not enough."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


def command_version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                             env={**os.environ, "TF_CLI_CONFIG_FILE": "/dev/null", "CHECKPOINT_DISABLE": "1"})
        return (out.stdout or out.stderr).splitlines()[0].strip()
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    os_release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
    debian = Path("/etc/debian_version")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "os": os_release.get("PRETTY_NAME", "").strip('"') +
              (f" ({debian.read_text().strip()})" if debian.exists() else ""),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_at_start": os.getloadavg(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def write_json(path, data):
    Path(path).write_text(json.dumps(data, indent=1, default=lambda o: asdict(o)) + "\n")
