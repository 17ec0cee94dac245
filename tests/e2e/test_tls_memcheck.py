"""The tls provider under valgrind and under ASan/UBSan while a CLI creates keys, a CSR and a chain,
reads public keys, plans a bad input and destroys; any error or leak report fails the test."""

import pytest

from conftest import required_providers
from memcheck import TOOLS, assert_clean, checked_cli

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


@pytest.mark.parametrize("tool,name", TOOLS)
def test_tls_lifecycle_is_clean(tool, name, tmp_path):
    cli = checked_cli(tmp_path, "tls", tool, name)
    cli.write_tf(CONFIG % "ED25519")
    cli.apply()
    assert cli.actions()["tls_locally_signed_cert.leaf"] in (["delete", "create"], ["create", "delete"])
    cli.write_tf(CONFIG % "RSA")
    cli.apply()
    cli.destroy()
    bad = cli.fresh("bad")
    bad.write_tf(BAD)
    assert bad.plan(check=False).rc == 1

    assert_clean(tmp_path, tool, min_runs=5)
