"""tls_private_key and data tls_public_key through the real CLIs; every output checked by openssl and ssh-keygen."""

import re

from conftest import required_providers
from tls_tools import openssl, ssh_fingerprints, ssh_public_from_private, state_id

PROVIDER = required_providers("tls")

# name -> (HCL arguments, PEM type of private_key_pem, OpenSSH key type or None)
KEYS = {
    "rsa": ('algorithm = "RSA"', "RSA PRIVATE KEY", "ssh-rsa"),
    "rsa3072": ('algorithm = "RSA"\n  rsa_bits = 3072', "RSA PRIVATE KEY", "ssh-rsa"),
    "p224": ('algorithm = "ECDSA"', "EC PRIVATE KEY", None),
    "p256": ('algorithm = "ECDSA"\n  ecdsa_curve = "P256"', "EC PRIVATE KEY", "ecdsa-sha2-nistp256"),
    "p384": ('algorithm = "ECDSA"\n  ecdsa_curve = "P384"', "EC PRIVATE KEY", "ecdsa-sha2-nistp384"),
    "p521": ('algorithm = "ECDSA"\n  ecdsa_curve = "P521"', "EC PRIVATE KEY", "ecdsa-sha2-nistp521"),
    "ed25519": ('algorithm = "ED25519"', "PRIVATE KEY", "ssh-ed25519"),
}
OPENSSL_TEXT = {"rsa": "Private-Key: (2048 bit", "rsa3072": "Private-Key: (3072 bit", "p224": "NIST CURVE: P-224",
                "p256": "NIST CURVE: P-256", "p384": "NIST CURVE: P-384", "p521": "NIST CURVE: P-521",
                "ed25519": "ED25519 Private-Key"}
PUBLIC_OUTPUTS = ("public_key_pem", "public_key_openssh", "public_key_fingerprint_md5",
                  "public_key_fingerprint_sha256", "id")


def config():
    text = PROVIDER
    for name, (args, _, ssh) in KEYS.items():
        text += f'resource "tls_private_key" "{name}" {{\n  {args}\n}}\n'
        text += (f'data "tls_public_key" "{name}_pem" {{\n'
                 f'  private_key_pem = tls_private_key.{name}.private_key_pem\n}}\n')
        if ssh:
            text += (f'data "tls_public_key" "{name}_ssh" {{\n'
                     f'  private_key_openssh = tls_private_key.{name}.private_key_openssh\n}}\n')
    return text


def pem_type(text):
    m = re.fullmatch(r"-----BEGIN ([A-Z ]+)-----\n((?:[A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n)-----END \1-----\n", text)
    assert m, f"not one PEM block with 64-column lines and a trailing newline: {text!r}"
    return m.group(1)


def check_key(name, attrs):
    args, want_type, ssh = KEYS[name]
    assert pem_type(attrs["private_key_pem"]) == want_type
    assert pem_type(attrs["private_key_pem_pkcs8"]) == "PRIVATE KEY"
    assert pem_type(attrs["public_key_pem"]) == "PUBLIC KEY"
    # both defaults are stored whatever the algorithm
    assert attrs["rsa_bits"] == (3072 if name == "rsa3072" else 2048)
    assert attrs["ecdsa_curve"] == {"p256": "P256", "p384": "P384", "p521": "P521"}.get(name, "P224")
    # openssl reads each private form as the same key, and derives our public key
    text = openssl("pkey", "-noout", "-text", data=attrs["private_key_pem"]).stdout
    assert OPENSSL_TEXT[name] in text
    for form in ("private_key_pem", "private_key_pem_pkcs8"):
        assert openssl("pkey", "-pubout", data=attrs[form]).stdout == attrs["public_key_pem"]
    openssl("pkey", "-pubin", "-noout", data=attrs["public_key_pem"])
    # id: SHA-1 of the SubjectPublicKeyInfo DER, after Go's TrimSpace
    assert attrs["id"] == state_id(openssl_der(attrs["public_key_pem"]))
    if ssh is None:
        assert [attrs[k] for k in ("private_key_openssh", "public_key_openssh",
                                   "public_key_fingerprint_md5", "public_key_fingerprint_sha256")] == [""] * 4
        return
    assert pem_type(attrs["private_key_openssh"]) == "OPENSSH PRIVATE KEY"
    assert re.fullmatch(re.escape(ssh) + r" [A-Za-z0-9+/]+=*\n", attrs["public_key_openssh"])
    assert ssh_public_from_private(attrs["private_key_openssh"]) == attrs["public_key_openssh"]
    md5, sha = ssh_fingerprints(attrs["public_key_openssh"])
    assert (attrs["public_key_fingerprint_md5"], attrs["public_key_fingerprint_sha256"]) == (md5, sha)
    assert re.fullmatch(r"([0-9a-f]{2}:){15}[0-9a-f]{2}", md5)


def openssl_der(pem):
    import subprocess
    return subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pem.encode(),
                          capture_output=True, check=True).stdout


def test_every_algorithm(cli):
    cli.write_tf(config())
    cli.init()
    cli.validate()
    cli.apply()
    assert cli.plan_exit_code() == 0, "a second plan after apply shows changes"
    state = cli.state()["values"]["root_module"]["resources"]
    res = {r["address"]: r["values"] for r in state}
    for name, (_, _, ssh) in KEYS.items():
        attrs = res[f"tls_private_key.{name}"]
        check_key(name, attrs)
        for suffix in ("pem", "ssh") if ssh else ("pem",):
            ds = res[f"data.tls_public_key.{name}_{suffix}"]
            assert {k: ds[k] for k in PUBLIC_OUTPUTS} == {k: attrs[k] for k in PUBLIC_OUTPUTS}
            assert ds["algorithm"] == KEYS[name][0].split('"')[1]
    cli.destroy()
    assert cli.state_list() == []


def test_state_upgrade_from_v0(cli):
    """State written by tls 3.x (schema 0) is upgraded: the 4.x outputs appear, and nothing is replaced."""
    import json
    import uuid
    pem = openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-pkeyopt", "ec_param_enc:named_curve").stdout
    pem = openssl("ec", data=pem).stdout  # SEC1, as 3.x wrote it
    assert pem.startswith("-----BEGIN EC PRIVATE KEY-----\n")
    public = openssl("pkey", "-pubout", data=pem).stdout
    attrs = {"algorithm": "ECDSA", "ecdsa_curve": "P256", "rsa_bits": 2048, "id": "0" * 40,
             "private_key_pem": pem, "public_key_pem": public, "public_key_openssh": "",
             "public_key_fingerprint_md5": ""}
    state = {"version": 4, "terraform_version": "1.0.0", "serial": 1, "lineage": str(uuid.uuid4()), "outputs": {},
             "resources": [{"mode": "managed", "type": "tls_private_key", "name": "k",
                            "provider": 'provider["thingform.local/thingform/tls"]',
                            "instances": [{"schema_version": 0, "attributes": attrs, "sensitive_attributes": []}]}]}
    cli.write_tf(PROVIDER + 'resource "tls_private_key" "k" {\n  algorithm = "ECDSA"\n  ecdsa_curve = "P256"\n}\n')
    (cli.workdir / "terraform.tfstate").write_text(json.dumps(state))
    cli.init()
    assert cli.plan_exit_code() == 0, "the upgraded key is planned for replacement"
    cli.run("apply", "-refresh-only", "-auto-approve")
    got = cli.resources()["tls_private_key.k"]
    assert got["private_key_pem"] == pem
    assert pem_type(got["private_key_pem_pkcs8"]) == "PRIVATE KEY"
    assert openssl("pkey", "-pubout", data=got["private_key_pem_pkcs8"]).stdout == public
    assert ssh_public_from_private(got["private_key_openssh"]) == got["public_key_openssh"]
    assert (got["public_key_fingerprint_md5"], got["public_key_fingerprint_sha256"]) == \
        ssh_fingerprints(got["public_key_openssh"])
    assert got["id"] != "0" * 40 and len(got["id"]) == 40
