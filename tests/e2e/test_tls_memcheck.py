"""The tls provider under valgrind and under ASan/UBSan while a CLI creates keys, a CSR and a chain,
reads public keys, plans a bad input and destroys; any error or leak report fails the test."""

import subprocess

import pytest

from conftest import CLIS, NAMESPACE, REPO, Cli, clean_env, required_providers
from test_memcheck import wrapper

CONFIG = required_providers("tls") + """
resource "tls_private_key" "ca" {
  algorithm = "ECDSA"
  ecdsa_curve = "P384"
}
resource "tls_private_key" "leaf" {
  algorithm = "%s"
}
data "tls_public_key" "leaf" {
  private_key_openssh = tls_private_key.leaf.private_key_openssh
}
resource "tls_self_signed_cert" "ca" {
  private_key_pem = tls_private_key.ca.private_key_pem
  subject {
    common_name    = "CA"
    street_address = ["a", "b"]
  }
  validity_period_hours = 10
  is_ca_certificate     = true
  set_authority_key_id  = true
  allowed_uses          = ["cert_signing"]
}
resource "tls_cert_request" "leaf" {
  private_key_pem = tls_private_key.leaf.private_key_pem
  subject {
    common_name   = "leaf"
    email_address = "a@b.c"
  }
  dns_names    = ["leaf"]
  ip_addresses = ["::ffff:10.0.0.1"]
  uris         = ["urn:x"]
}
resource "tls_locally_signed_cert" "leaf" {
  cert_request_pem      = tls_cert_request.leaf.cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 1
  early_renewal_hours   = 1
  allowed_uses          = ["server_auth", "client_auth"]
}
"""

BAD = required_providers("tls") + """
data "tls_public_key" "bad" {
  private_key_pem = "-----BEGIN RSA PRIVATE KEY-----\\nMAA=\\n-----END RSA PRIVATE KEY-----\\n"
}
"""


def wrapped_provider(tmp_path, tool):
    """A dev_overrides directory whose terraform-provider-tls runs the build under `tool`
    (test_memcheck's wrapper, renamed for this provider)."""
    target = "build/san/terraform-provider-tls" if tool == "asan" else "build/terraform-provider-tls"
    r = subprocess.run(["make", "-s", "-C", str(REPO), target] + (["SAN=1"] if tool == "asan" else []),
                       capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=1800)
    assert r.returncode == 0, r.stdout + r.stderr
    bindir, logs = wrapper(tmp_path, REPO / target, tool)
    (bindir / "terraform-provider-random").rename(bindir / "terraform-provider-tls")
    return bindir, logs


@pytest.mark.parametrize("tool,name", [("valgrind", "tofu"), ("asan", "terraform")])
def test_tls_lifecycle_is_clean(tool, name, tmp_path):
    bindir, logs = wrapped_provider(tmp_path, tool)
    rc = tmp_path / "cli.tfrc"
    rc.write_text(f'provider_installation {{\n  dev_overrides {{\n    "{NAMESPACE}/tls" = "{bindir}"\n'
                  "  }\n  direct {}\n}\n")
    cli = Cli(name, CLIS[name], tmp_path / name, clean_env(TF_CLI_CONFIG_FILE=str(rc)))
    cli.write_tf(CONFIG % "ED25519")
    cli.apply()
    assert cli.actions()["tls_locally_signed_cert.leaf"] in (["delete", "create"], ["create", "delete"])
    cli.write_tf(CONFIG % "RSA")
    cli.apply()
    cli.destroy()
    bad = cli.fresh("bad")
    bad.write_tf(BAD)
    assert bad.plan(check=False).rc == 1

    reports = {p.name: p.read_text() for p in logs.iterdir() if p.read_text().strip()}
    assert not reports, "\n\n".join(f"--- {n}\n{t}" for n, t in reports.items())
    if tool == "valgrind":
        assert len(list(logs.iterdir())) >= 5, "the provider did not run under valgrind"
