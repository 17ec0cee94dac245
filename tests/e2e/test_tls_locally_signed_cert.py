"""tls_cert_request and tls_locally_signed_cert through the real CLIs: a CA, an intermediate and leaves,
checked with openssl req -verify, x509 -text and verify."""

import re
import subprocess

from conftest import required_providers
from tls_tools import openssl, state_id, with_file

PROVIDER = required_providers("tls")

CONFIG = PROVIDER + """
resource "tls_private_key" "ca" {
  algorithm = "RSA"
}
resource "tls_self_signed_cert" "ca" {
  private_key_pem = tls_private_key.ca.private_key_pem
  subject {
    common_name  = "Root CA"
    organization = "Example"
  }
  validity_period_hours = 48
  is_ca_certificate     = true
  allowed_uses          = ["cert_signing", "crl_signing"]
}

resource "tls_private_key" "int" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}
resource "tls_cert_request" "int" {
  private_key_pem = tls_private_key.int.private_key_pem
  subject {
    common_name  = "Intermediate CA"
    organization = "Example"
  }
}
resource "tls_locally_signed_cert" "int" {
  cert_request_pem      = tls_cert_request.int.cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 24
  is_ca_certificate     = true
  max_path_length       = 1
  allowed_uses          = ["cert_signing"]
}

resource "tls_private_key" "leaf" {
  algorithm = "ED25519"
}
resource "tls_cert_request" "leaf" {
  private_key_pem = tls_private_key.leaf.private_key_pem
  subject {
    common_name    = "www.example.com"
    country        = "DE"
    street_address = ["Hauptstraße 1"]
    email_address  = "web@example.com"
  }
  dns_names    = ["www.example.com", "example.com"]
  ip_addresses = ["10.1.2.3", "::1"]
  uris         = ["https://example.com/id"]
}
resource "tls_locally_signed_cert" "leaf" {
  cert_request_pem      = tls_cert_request.leaf.cert_request_pem
  ca_private_key_pem    = tls_private_key.int.private_key_pem
  ca_cert_pem           = tls_locally_signed_cert.int.cert_pem
  validity_period_hours = 12
  allowed_uses          = ["digital_signature", "server_auth", "client_auth"]
}
"""


def text(kind, pem, *extra):
    return openssl(kind, "-noout", "-text", "-nameopt", "RFC2253,-esc_msb", *extra, data=pem).stdout


def der(kind, pem):
    return subprocess.run(["openssl", kind, "-outform", "DER"], input=pem.encode(), capture_output=True,
                          check=True).stdout


def test_chain(cli):
    cli.write_tf(CONFIG)
    cli.init()
    cli.apply()
    assert cli.plan_exit_code() == 0, "a second plan after apply shows changes"
    res = cli.resources()
    ca, inter, leaf = (res[f"{t}.{n}"] for t, n in (("tls_self_signed_cert", "ca"),
                                                   ("tls_locally_signed_cert", "int"),
                                                   ("tls_locally_signed_cert", "leaf")))
    csr = res["tls_cert_request.leaf"]

    # the request: signed by its key, version 1, SANs requested, id = SHA-1 of its DER
    req = text("req", csr["cert_request_pem"], "-verify")
    assert "Version: 1 (0x0)" in req and "ED25519" in req
    assert "Subject: emailAddress=web@example.com,CN=www.example.com,street=Hauptstraße 1,C=DE" in req
    assert "DNS:www.example.com, DNS:example.com, IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1, " \
           "URI:https://example.com/id" in req
    assert csr["key_algorithm"] == "ED25519"
    assert csr["id"] == state_id(der("req", csr["cert_request_pem"]))
    pub = openssl("req", "-noout", "-pubkey", data=csr["cert_request_pem"]).stdout
    assert pub == res["tls_private_key.leaf"]["public_key_pem"]

    # the chain verifies
    with_file(ca["cert_pem"], lambda root: with_file(inter["cert_pem"], lambda mid: with_file(
        leaf["cert_pem"], lambda end: openssl("verify", "-CAfile", root, "-untrusted", mid, end))))

    t = text("x509", leaf["cert_pem"])
    # only subject, DNS, IP and URI come from the CSR; Go drops the email address from the subject
    assert "Subject: CN=www.example.com,street=Hauptstraße 1,C=DE" in t
    assert "Issuer: CN=Intermediate CA,O=Example" in t
    assert "Signature Algorithm: ecdsa-with-SHA256" in t
    assert "X509v3 Subject Alternative Name: \n                DNS:www.example.com, DNS:example.com, " \
           "IP Address:10.1.2.3, IP Address:0:0:0:0:0:0:0:1, URI:https://example.com/id" in t
    assert "CA:FALSE" in t and "Subject Key Identifier" not in t
    assert leaf["ca_key_algorithm"] == "ECDSA"
    # AKID = the issuing CA's SKID
    t_int = text("x509", inter["cert_pem"])
    skid = re.search(r"Subject Key Identifier: *\n *([0-9A-F:]+)", t_int).group(1)
    akid = re.search(r"Authority Key Identifier: *\n *(?:keyid:)?([0-9A-F:]+)", t).group(1)
    assert skid == akid
    assert "CA:TRUE, pathlen:1" in t_int and "Signature Algorithm: sha256WithRSAEncryption" in t_int
    assert inter["ca_key_algorithm"] == "RSA"
    serial = int(openssl("x509", "-noout", "-serial", data=leaf["cert_pem"]).stdout.strip().split("=")[1], 16)
    assert leaf["id"] == str(serial)


def test_wrong_ca_key_and_non_ca(cli):
    bad = CONFIG.replace("""  ca_private_key_pem    = tls_private_key.int.private_key_pem""",
                         """  ca_private_key_pem    = tls_private_key.leaf.private_key_pem""")
    cli.write_tf(bad)
    cli.init()
    cli.apply("-target=tls_locally_signed_cert.int", "-target=tls_private_key.leaf")
    r = cli.plan(check=False)
    assert r.rc == 1 and "doesn't match parent's PublicKey" in r.stderr and "ca_private_key_pem" in r.stderr, r.output

    # a leaf used as a CA: a warning, and the certificate is made
    cli.write_tf(CONFIG + """
resource "tls_locally_signed_cert" "under_leaf" {
  cert_request_pem      = tls_cert_request.int.cert_request_pem
  ca_private_key_pem    = tls_private_key.leaf.private_key_pem
  ca_cert_pem           = tls_locally_signed_cert.leaf.cert_pem
  validity_period_hours = 1
  allowed_uses          = []
}
""")
    r = cli.apply()
    assert "Potentially Invalid Certificate Authority" in r.output


def test_bad_request_pem(cli):
    cli.write_tf(PROVIDER + """
resource "tls_private_key" "k" {
  algorithm = "ED25519"
}
resource "tls_self_signed_cert" "ca" {
  private_key_pem = tls_private_key.k.private_key_pem
  subject {
    common_name = "ca"
  }
  validity_period_hours = 1
  is_ca_certificate     = true
  allowed_uses          = ["cert_signing"]
}
resource "tls_locally_signed_cert" "c" {
  cert_request_pem      = tls_self_signed_cert.ca.cert_pem
  ca_private_key_pem    = tls_private_key.k.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 1
  allowed_uses          = []
}
""")
    cli.init()
    r = cli.apply(check=False)
    assert r.rc == 1 and "unsupported PEM preamble/type: CERTIFICATE" in r.stderr, r.output
