"""End-to-end fixtures: the real `tofu` and `terraform` CLIs driving the providers built by this repo.

Tools come from tests/tools/install.sh (paths overridable with THINGFORM_TOFU / THINGFORM_TERRAFORM).
The session runs `make install PLUGIN_DIR=<tmp>/mirror` once and points both CLIs at that directory
with a CLI config file that allows no other provider source.
"""

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(
    os.environ.get("THINGFORM_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "thingform"
)
CLIS = {
    "tofu": Path(os.environ.get("THINGFORM_TOFU") or CACHE / "bin" / "tofu"),
    "terraform": Path(os.environ.get("THINGFORM_TERRAFORM") or CACHE / "bin" / "terraform"),
}
NAMESPACE = "thingform.local/thingform"
PROVIDERS = ("aws", "tls", "random", "http")
VERSION = "0.1.0"
PLATFORM = "linux_amd64"
TIMEOUT = 300  # seconds for one CLI command

# Subcommands that take -input=false / -no-color (the first word after the global options).
INPUT_CMDS = {"init", "plan", "apply", "destroy", "import", "refresh"}
NO_COLOR_CMDS = INPUT_CMDS | {"validate", "show", "output"}


def required_providers(*names):
    """A terraform block that takes the named providers from this repo's mirror."""
    body = "".join(f'    {n} = {{ source = "{NAMESPACE}/{n}" }}\n' for n in names)
    return f"terraform {{\n  required_providers {{\n{body}  }}\n}}\n"


def clean_env(**extra):
    """os.environ without anything that could steer a CLI or a plugin, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "TOFU_", "PLUGIN_"))}
    env.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
    env.update(extra)
    return env


def tool_version(exe):
    try:
        out = subprocess.run(
            [str(exe), "version"], env=clean_env(TF_CLI_CONFIG_FILE="/dev/null"),
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        ).stdout
        return out.splitlines()[0] if out else "no output"
    except OSError as e:
        return f"MISSING ({e.strerror}; run tests/tools/install.sh)"


def pytest_report_header(config):
    return [f"{name}: {tool_version(exe)} [{exe}]" for name, exe in CLIS.items()]


@pytest.fixture(scope="session")
def plugin_dir(tmp_path_factory):
    """`make install` into a private filesystem mirror; returns its path.
    THINGFORM_PLUGIN_DIR names an already installed mirror instead."""
    if os.environ.get("THINGFORM_PLUGIN_DIR"):
        return Path(os.environ["THINGFORM_PLUGIN_DIR"])
    mirror = tmp_path_factory.mktemp("plugins") / "mirror"
    r = subprocess.run(
        ["make", "-C", str(REPO), "install", f"PLUGIN_DIR={mirror}"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=3600,
    )
    if r.returncode != 0:
        pytest.fail(f"make install failed ({r.returncode}):\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}", pytrace=False)
    for name in PROVIDERS:
        assert provider_binary(mirror, name).is_file(), f"make install did not install {name}"
    return mirror


def provider_binary(mirror, name):
    return mirror / NAMESPACE / name / VERSION / PLATFORM / f"terraform-provider-{name}_v{VERSION}"


@pytest.fixture(scope="session")
def cli_env(plugin_dir, tmp_path_factory):
    """Environment for every CLI run: our CLI config (mirror only), no logging, no reattach."""
    rc = tmp_path_factory.mktemp("cliconfig") / "cli.tfrc"
    rc.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{plugin_dir}"\n    include = ["thingform.local/*/*"]\n  }}\n'
        '  direct {\n    exclude = ["thingform.local/*/*"]\n  }\n'
        "}\n"
    )
    return clean_env(TF_CLI_CONFIG_FILE=str(rc))


@dataclass
class Result:
    args: list
    rc: int
    stdout: str
    stderr: str

    @property
    def output(self):
        return self.stdout + self.stderr


class CLIError(AssertionError):
    pass


class Cli:
    """One CLI (tofu or terraform) working in one directory."""

    def __init__(self, name, exe, workdir, env):
        self.name, self.exe, self.workdir, self.env = name, exe, Path(workdir), env
        self.workdir.mkdir(parents=True, exist_ok=True)

    def __repr__(self):
        return f"Cli({self.name}, {self.workdir})"

    def fresh(self, label):
        """The same CLI in a new, empty working directory next to this one."""
        return Cli(self.name, self.exe, self.workdir.parent / f"{self.workdir.name}-{label}", self.env)

    def run(self, *args, check=True, env=None):
        args = [str(a) for a in args]
        sub = args[0] if args else ""
        flags = (["-input=false"] if sub in INPUT_CMDS else []) + (["-no-color"] if sub in NO_COLOR_CMDS else [])
        argv = [str(self.exe), *args[:1], *flags, *args[1:]]
        r = subprocess.run(
            argv, cwd=self.workdir, env={**self.env, **(env or {})}, capture_output=True, text=True,
            timeout=TIMEOUT, stdin=subprocess.DEVNULL,
        )
        res = Result(argv, r.returncode, r.stdout, r.stderr)
        if check and res.rc != 0:
            raise CLIError(f"{self.name} {' '.join(args)} exited {res.rc}\n--- stdout\n{res.stdout}\n--- stderr\n{res.stderr}")
        return res

    def write_tf(self, text, name="main.tf"):
        (self.workdir / name).write_text(text)

    # The workflow, one method per subcommand.
    def init(self, **kw):
        return self.run("init", **kw)

    def validate(self, **kw):
        return self.run("validate", **kw)

    def plan(self, *args, **kw):
        return self.run("plan", *args, **kw)

    def apply(self, *args, **kw):
        return self.run("apply", "-auto-approve", *args, **kw)

    def destroy(self, *args, **kw):
        return self.run("destroy", "-auto-approve", *args, **kw)

    def import_(self, address, id, **kw):
        return self.run("import", address, id, **kw)

    def plan_exit_code(self, *args):
        """`plan -detailed-exitcode`: 0 = no changes, 2 = changes; anything else raises."""
        r = self.run("plan", "-detailed-exitcode", *args, check=False)
        if r.rc not in (0, 2):
            raise CLIError(f"{self.name} plan -detailed-exitcode exited {r.rc}\n{r.output}")
        return r.rc

    def plan_json(self, *args):
        """The plan as JSON (`plan -out` then `show -json`)."""
        self.run("plan", "-out=tfplan", *args)
        return json.loads(self.run("show", "-json", "tfplan").stdout)

    def actions(self, *args):
        """{resource address: planned actions} for a fresh plan."""
        return {rc["address"]: rc["change"]["actions"] for rc in self.plan_json(*args).get("resource_changes", [])}

    def state(self):
        """`show -json` of the current state ({} when there is no state)."""
        return json.loads(self.run("show", "-json").stdout)

    def resources(self):
        """{address: attribute values} of the root module's resources in the state."""
        res = self.state().get("values", {}).get("root_module", {}).get("resources", [])
        return {r["address"]: r["values"] for r in res}

    def state_list(self):
        r = self.run("state", "list", check=False)
        if r.rc != 0 and "No state file was found" in r.stderr:
            return []
        if r.rc != 0:
            raise CLIError(f"{self.name} state list exited {r.rc}\n{r.output}")
        return r.stdout.split()

    def outputs(self):
        return {k: v["value"] for k, v in json.loads(self.run("output", "-json").stdout).items()}


@pytest.fixture(params=sorted(CLIS))
def cli(request, cli_env, tmp_path):
    exe = CLIS[request.param]
    if not os.access(exe, os.X_OK):
        pytest.fail(f"{request.param} not found at {exe}: run tests/tools/install.sh", pytrace=False)
    return Cli(request.param, exe, tmp_path / request.param, cli_env)
