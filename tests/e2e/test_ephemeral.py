"""Ephemeral random_bytes, random_password, tls_private_key and tls_public_key through the real CLIs.

An ephemeral value can only go where Terraform keeps nothing, so the tests look at it there:
- at apply time, a local-exec provisioner gets the values in its environment and writes them to files;
- at plan time, the tls provider's proxy block takes one as its password, and the CONNECT proxy of
  tls_cert_servers.py records the Basic credentials when data "tls_certificate" is read through it.
Each value is checked for its format, then looked for (and must be absent) in the state file and in
every member of the saved plan file.
"""

import base64
import json
import re
import string
import zipfile

import pytest

from conftest import REPO, required_providers
from test_random_string import bcrypt_ok
from tls_cert_servers import PROXIED_HOST, Chain, ConnectProxy, HttpsServer
from tls_tools import openssl, ssh_fingerprints, ssh_public_from_private


@pytest.fixture(scope="module")
def chain():
    return Chain()


@pytest.fixture(scope="module")
def https(chain):
    s = HttpsServer(chain)
    yield s
    s.close()


@pytest.fixture
def proxy():
    p = ConnectProxy()
    yield p
    p.close()


def sink(values):
    """A terraform_data whose local-exec writes each value (an expression) to out/<NAME>."""
    env = "".join(f"      {k} = {v}\n" for k, v in values.items())
    cmd = "mkdir -p out && " + " && ".join(f"printf '%s' \"${k}\" > out/{k}" for k in values)
    return ('resource "terraform_data" "sink" {\n  provisioner "local-exec" {\n'
            f"    command     = {json.dumps(cmd)}\n    environment = {{\n{env}    }}\n  }}\n}}\n")


def proxied_read(proxy, https, password, provider_alias=None):
    """A tls provider whose proxy password is `password`, and a certificate read through it at plan time."""
    alias = f"  alias = \"{provider_alias}\"\n" if provider_alias else ""
    ref = f"  provider = tls.{provider_alias}\n" if provider_alias else ""
    return (f'provider "tls" {{\n{alias}  proxy {{\n    url      = "{proxy.url}"\n    username = "eph"\n'
            f"    password = {password}\n  }}\n}}\n"
            f'data "tls_certificate" "site" {{\n{ref}  url = "https://{PROXIED_HOST}:{https.port}/"\n}}\n')


def plan_time_password(proxy):
    """The password of the one CONNECT the plan made, from its Proxy-Authorization header."""
    assert len(proxy.auth) == 1, proxy.connects
    scheme, b64 = proxy.auth[0].split(" ", 1)
    user, password = base64.b64decode(b64).decode().split(":", 1)
    assert (scheme, user) == ("Basic", "eph")
    return password


def plan_and_apply(cli, env):
    """init, plan -out, apply of that plan; the plan file's members (raw) and its JSON rendering."""
    cli.init()
    cli.run("plan", "-out=tfplan", env=env)
    with zipfile.ZipFile(cli.workdir / "tfplan") as z:
        members = {name: z.read(name) for name in z.namelist()}
    shown = cli.run("show", "-json", "tfplan").stdout
    assert not any(rc["address"].startswith("ephemeral.") for rc in json.loads(shown).get("resource_changes", []))
    cli.run("apply", "-auto-approve", "tfplan", env=env)
    return members, shown


def written(cli):
    return {p.name: p.read_text() for p in (cli.workdir / "out").iterdir()}


def assert_nowhere(secrets, cli, members, shown):
    """No secret in the state file, the plan file (any member) or the plan's JSON."""
    state = (cli.workdir / "terraform.tfstate").read_text()
    # (ephemeral addresses may appear among a resource's dependencies; their values may not)
    assert {r["mode"] for r in json.loads(state)["resources"]} <= {"managed", "data"}
    for name, value in secrets.items():
        assert len(value) >= 16, name  # long enough that a chance match is impossible
        assert value not in state, f"{name} is in the state file"
        assert value not in shown, f"{name} is in the plan's JSON"
        for member, data in members.items():
            assert value.encode() not in data, f"{name} is in the plan file ({member})"


PASSWORD_SPECIAL = "!#%"


def check_password(pw, bcrypt_hash):
    assert len(pw) == 40
    assert set(pw) <= set(string.ascii_letters + string.digits + PASSWORD_SPECIAL)
    for chars in (string.ascii_uppercase, string.ascii_lowercase, string.digits, PASSWORD_SPECIAL):
        assert sum(c in chars for c in pw) >= 4, (chars, pw)
    assert bcrypt_ok(pw, bcrypt_hash)


def test_random(cli, chain, https, proxy):
    cli.write_tf(
        required_providers("random", "tls")
        + 'ephemeral "random_password" "proxy" {\n  length = 32\n  special = false\n}\n'
        + 'ephemeral "random_password" "pw" {\n  count = 2\n  length = 40\n  min_upper = 4\n  min_lower = 4\n'
        + f'  min_numeric = 4\n  min_special = 4\n  override_special = "{PASSWORD_SPECIAL}"\n}}\n'
        + 'ephemeral "random_bytes" "key" {\n  count = 2\n  length = 32\n}\n'
        + proxied_read(proxy, https, "ephemeral.random_password.proxy.result")
        + sink({"PROXY": "ephemeral.random_password.proxy.result",
                **{f"PW{i}": f"ephemeral.random_password.pw[{i}].result" for i in range(2)},
                **{f"HASH{i}": f"ephemeral.random_password.pw[{i}].bcrypt_hash" for i in range(2)},
                **{f"B64_{i}": f"ephemeral.random_bytes.key[{i}].base64" for i in range(2)},
                **{f"HEX{i}": f"ephemeral.random_bytes.key[{i}].hex" for i in range(2)}}))
    members, shown = plan_and_apply(cli, {"SSL_CERT_FILE": chain.root_file})
    at_plan = plan_time_password(proxy)
    out = written(cli)

    assert re.fullmatch(r"[A-Za-z0-9]{32}", at_plan) and re.fullmatch(r"[A-Za-z0-9]{32}", out["PROXY"])
    assert at_plan != out["PROXY"], "the plan and the apply opened the same value"
    for i in range(2):
        check_password(out[f"PW{i}"], out[f"HASH{i}"])
        raw = base64.b64decode(out[f"B64_{i}"], validate=True)
        assert len(raw) == 32 and out[f"HEX{i}"] == raw.hex()
    assert out["PW0"] != out["PW1"] and out["HEX0"] != out["HEX1"]
    assert_nowhere({"plan-time password": at_plan, **out}, cli, members, shown)
    assert cli.state_list() == ["data.tls_certificate.site", "terraform_data.sink"]


def check_public(out, prefix, private_pem):
    """The public outputs under `prefix` are those of private_pem (openssl, ssh-keygen)."""
    public = openssl("pkey", "-pubout", data=private_pem).stdout
    assert out[f"{prefix}PUB_PEM"] == public
    if out[f"{prefix}PUB_SSH"]:
        md5, sha = ssh_fingerprints(out[f"{prefix}PUB_SSH"])
        assert (out[f"{prefix}MD5"], out[f"{prefix}SHA"]) == (md5, sha)


KEY_OUTPUTS = {"PEM": "private_key_pem", "PKCS8": "private_key_pem_pkcs8", "SSH": "private_key_openssh",
               "PUB_PEM": "public_key_pem", "PUB_SSH": "public_key_openssh",
               "MD5": "public_key_fingerprint_md5", "SHA": "public_key_fingerprint_sha256"}


def test_tls(cli, chain, https, proxy):
    keys = {"rsa": 'algorithm = "RSA"', "ec": 'algorithm = "ECDSA"', "ed": 'algorithm = "ED25519"'}
    values = {}
    for name in keys:
        values.update({f"{name.upper()}_{k}": f"ephemeral.tls_private_key.{name}.{a}" for k, a in KEY_OUTPUTS.items()})
        values[f"{name.upper()}_BITS"] = f"ephemeral.tls_private_key.{name}.rsa_bits"
        values[f"{name.upper()}_CURVE"] = f"ephemeral.tls_private_key.{name}.ecdsa_curve"
    for name, source in (("from_pem", "private_key_pem = ephemeral.tls_private_key.rsa.private_key_pem"),
                         ("from_ssh", "private_key_openssh = ephemeral.tls_private_key.ed.private_key_openssh")):
        values.update({f"{name.upper()}_{k}": f"ephemeral.tls_public_key.{name}.{a}"
                       for k, a in KEY_OUTPUTS.items() if k.startswith(("PUB", "MD5", "SHA"))})
        values[f"{name.upper()}_ID"] = f"ephemeral.tls_public_key.{name}.id"
        values[f"{name.upper()}_ALG"] = f"ephemeral.tls_public_key.{name}.algorithm"
        keys[name] = source
    cli.write_tf(
        required_providers("tls")
        + "".join(f'ephemeral "tls_{"public" if n.startswith("from") else "private"}_key" "{n}" {{\n  {body}\n}}\n'
                  for n, body in keys.items())
        + proxied_read(proxy, https, "ephemeral.tls_private_key.ed.private_key_openssh", provider_alias="proxied")
        + sink(values))
    members, shown = plan_and_apply(cli, {"SSL_CERT_FILE": chain.root_file})
    at_plan = plan_time_password(proxy)
    out = written(cli)

    # plan time: an OpenSSH Ed25519 key, whole
    assert at_plan.startswith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    assert ssh_public_from_private(at_plan).startswith("ssh-ed25519 ")
    # apply time: each key in every encoding, and the defaults
    assert (out["RSA_BITS"], out["EC_BITS"], out["EC_CURVE"], out["ED_CURVE"]) == ("2048", "2048", "P224", "P224")
    assert "Private-Key: (2048 bit" in openssl("pkey", "-noout", "-text", data=out["RSA_PEM"]).stdout
    assert "NIST CURVE: P-224" in openssl("pkey", "-noout", "-text", data=out["EC_PEM"]).stdout
    assert out["RSA_PEM"].startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert out["EC_PEM"].startswith("-----BEGIN EC PRIVATE KEY-----\n")
    assert out["ED_PEM"].startswith("-----BEGIN PRIVATE KEY-----\n")
    for name in ("RSA", "EC", "ED"):
        pkcs8 = out[f"{name}_PKCS8"]
        assert pkcs8.startswith("-----BEGIN PRIVATE KEY-----\n")
        assert openssl("pkey", data=pkcs8).stdout == openssl("pkey", data=out[f"{name}_PEM"]).stdout
        check_public(out, f"{name}_", out[f"{name}_PEM"])
    assert (out["EC_SSH"], out["EC_PUB_SSH"], out["EC_MD5"]) == ("", "", "")  # P-224: no OpenSSH form
    for name in ("RSA", "ED"):
        assert ssh_public_from_private(out[f"{name}_SSH"]).split()[:2] == out[f"{name}_PUB_SSH"].split()[:2]
    # the ephemeral tls_public_key of each key agrees with the key's own outputs
    for name, key in (("FROM_PEM", "RSA"), ("FROM_SSH", "ED")):
        for k in ("PUB_PEM", "PUB_SSH", "MD5", "SHA"):
            assert out[f"{name}_{k}"] == out[f"{key}_{k}"], (name, k)
        assert re.fullmatch(r"[0-9a-f]{40}", out[f"{name}_ID"])
    assert (out["FROM_PEM_ALG"], out["FROM_SSH_ALG"]) == ("RSA", "ED25519")
    assert out["ED_SSH"] != at_plan, "the plan and the apply opened the same key"

    secrets = {k: v for k, v in out.items() if k.endswith(("_PEM", "_PKCS8", "_SSH")) and "PUB" not in k and v}
    assert_nowhere({"plan-time key": at_plan, **secrets}, cli, members, shown)
    state = (cli.workdir / "terraform.tfstate").read_text()
    for text in (state, shown, *(m.decode("latin-1") for m in members.values())):
        assert "PRIVATE KEY" not in text


EXAMPLES = sorted((REPO / "examples" / "ephemeral-resources").glob("*/ephemeral-resource.tf"))


def test_examples_validate(cli):
    """Every ephemeral example of the docs is a valid configuration for our providers."""
    assert [p.parent.name for p in EXAMPLES] == ["random_bytes", "random_password", "tls_private_key", "tls_public_key"]
    for path in EXAMPLES:
        work = cli.fresh(path.parent.name)
        work.write_tf(required_providers(path.parent.name.split("_")[0]) + path.read_text())
        work.init()
        assert "The configuration is valid." in work.validate().stdout
