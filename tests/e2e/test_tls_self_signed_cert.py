"""tls_self_signed_cert through the real CLIs: every field checked by openssl, renewal, in-place updates
(bad input: test_bad_input.py)."""

import datetime
import json
import re

from conftest import required_providers
from tls_tools import openssl, with_file

PROVIDER = required_providers("tls")
ALL_USES = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
            "cert_signing", "crl_signing", "encipher_only", "decipher_only", "any_extended", "server_auth",
            "client_auth", "code_signing", "email_protection", "ipsec_end_system", "ipsec_tunnel", "ipsec_user",
            "timestamping", "ocsp_signing", "microsoft_server_gated_crypto", "netscape_server_gated_crypto",
            "microsoft_commercial_code_signing", "microsoft_kernel_code_signing"]
KEYS = {"rsa": 'algorithm = "RSA"', "p224": 'algorithm = "ECDSA"', "p384": 'algorithm = "ECDSA"\n  ecdsa_curve = "P384"',
        "p521": 'algorithm = "ECDSA"\n  ecdsa_curve = "P521"', "ed25519": 'algorithm = "ED25519"'}
SIGNATURE = {"rsa": "sha256WithRSAEncryption", "p224": "ecdsa-with-SHA256", "p384": "ecdsa-with-SHA384",
             "p521": "ecdsa-with-SHA512", "ed25519": "ED25519"}


def key(name):
    return f'resource "tls_private_key" "{name}" {{\n  {KEYS[name]}\n}}\n'


def cert(name, key_name, body):
    return (f'resource "tls_self_signed_cert" "{name}" {{\n'
            f'  private_key_pem = tls_private_key.{key_name}.private_key_pem\n{body}}}\n')


CA_BODY = """
  subject {
    common_name         = "Example CA"
    organization        = "Example, Inc"
    organizational_unit = "Sécurité"
    street_address      = ["1 Main St", "Floor 2"]
    locality            = "Springfield"
    province            = "OR"
    country             = "US"
    postal_code         = "97477"
    serial_number       = "42"
    email_address       = "ca@example.com"
  }
  dns_names             = ["example.com", "*.example.com"]
  ip_addresses          = ["192.0.2.1", "2001:db8::1"]
  uris                  = ["spiffe://example.com/ca"]
  validity_period_hours = 24
  is_ca_certificate     = true
  set_authority_key_id  = true
  max_path_length       = 2
  allowed_uses          = %s
""" % json.dumps(ALL_USES)


def x509_text(pem):
    return openssl("x509", "-noout", "-text", "-nameopt", "RFC2253,-esc_msb", data=pem).stdout


def test_every_field(cli):
    tf = PROVIDER + "".join(key(k) for k in KEYS) + cert("ca", "p384", CA_BODY)
    for k in KEYS:
        tf += cert(k, k, '  subject {\n    common_name = "leaf"\n  }\n  validity_period_hours = 2\n'
                         '  allowed_uses = ["server_auth", "digital_signature"]\n  set_subject_key_id = true\n')
    cli.write_tf(tf)
    cli.init()
    cli.apply()
    assert cli.plan_exit_code() == 0, "a second plan after apply shows changes"
    res = cli.resources()

    ca = res["tls_self_signed_cert.ca"]
    text = x509_text(ca["cert_pem"])
    # Go's RDN order C, ST, L, STREET (one RDN), postalCode, O, OU, CN, serialNumber, emailAddress
    # (RFC 2253 prints it reversed)
    subject = re.search(r"Subject: (.*)", text).group(1)
    assert subject == ("emailAddress=ca@example.com,serialNumber=42,CN=Example CA,OU=Sécurité,O=Example\\, Inc,"
                       "postalCode=97477,street=1 Main St+street=Floor 2,L=Springfield,ST=OR,C=US"), subject
    assert re.search(r"Issuer: (.*)", text).group(1) == subject
    # string types as Go picks them: PrintableString when it fits, else UTF8String; email IA5String
    der = openssl("asn1parse", data=ca["cert_pem"]).stdout
    assert re.search(r"UTF8STRING +:Sécurité", der) and re.search(r"IA5STRING +:ca@example.com", der)
    assert re.search(r"PRINTABLESTRING +:Example, Inc", der) and re.search(r"PRINTABLESTRING +:US", der)
    assert "X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:2" in text
    assert "X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation, Key Encipherment, " \
           "Data Encipherment, Key Agreement, Certificate Sign, CRL Sign, Encipher Only, Decipher Only" in text
    for eku in ("Any Extended Key Usage", "TLS Web Server Authentication", "TLS Web Client Authentication",
                "Code Signing", "E-mail Protection", "IPSec End System", "IPSec Tunnel", "IPSec User",
                "Time Stamping", "OCSP Signing", "Microsoft Server Gated Crypto", "Netscape Server Gated Crypto",
                "Microsoft Commercial Code Signing", "1.3.6.1.4.1.311.61.1.1"):
        assert eku in text, eku
    assert "DNS:example.com, DNS:*.example.com, IP Address:192.0.2.1, IP Address:2001:DB8:0:0:0:0:0:1, " \
           "URI:spiffe://example.com/ca" in text
    skid = re.search(r"Subject Key Identifier: *\n *([0-9A-F:]+)", text).group(1)
    akid = re.search(r"Authority Key Identifier: *\n *(?:keyid:)?([0-9A-F:]+)", text).group(1)
    assert skid == akid
    assert "Signature Algorithm: ecdsa-with-SHA384" in text
    assert "Version: 3 (0x2)" in text
    serial = int(openssl("x509", "-noout", "-serial", data=ca["cert_pem"]).stdout.strip().split("=")[1], 16)
    assert ca["id"] == str(serial) and serial < 2**128
    start = datetime.datetime.fromisoformat(ca["validity_start_time"])
    end = datetime.datetime.fromisoformat(ca["validity_end_time"])
    assert end - start == datetime.timedelta(hours=24)
    assert ca["ready_for_renewal"] is False and ca["key_algorithm"] == "ECDSA"
    assert ca["max_path_length"] == 2 and ca["early_renewal_hours"] == 0
    with_file(ca["cert_pem"], lambda p: openssl("verify", "-CAfile", p, p))

    for k in KEYS:
        leaf = res[f"tls_self_signed_cert.{k}"]
        text = x509_text(leaf["cert_pem"])
        assert f"Signature Algorithm: {SIGNATURE[k]}" in text
        assert "X509v3 Basic Constraints: critical\n                CA:FALSE" in text
        assert "Subject Key Identifier" in text and "Authority Key Identifier" not in text
        assert leaf["max_path_length"] is None
        # the certificate holds the configured key
        pub = openssl("x509", "-noout", "-pubkey", data=leaf["cert_pem"]).stdout
        assert pub == res[f"tls_private_key.{k}"]["public_key_pem"]
        with_file(leaf["cert_pem"], lambda p: openssl("verify", "-check_ss_sig", "-partial_chain", "-CAfile", p, p))


def simple(validity, early=None, extra=""):
    body = f'  subject {{\n    common_name = "renew"\n  }}\n  validity_period_hours = {validity}\n' \
           f'  allowed_uses = ["server_auth"]\n{extra}'
    if early is not None:
        body += f"  early_renewal_hours = {early}\n"
    return PROVIDER + key("ed25519") + cert("c", "ed25519", body)


REPLACE = [["delete", "create"], ["create", "delete"]]


def test_renewal(cli):
    # inside the early renewal window from the start: ready_for_renewal, and every plan replaces
    cli.write_tf(simple(1, 1))
    cli.init()
    cli.apply()
    assert cli.resources()["tls_self_signed_cert.c"]["ready_for_renewal"] is True
    assert cli.actions()["tls_self_signed_cert.c"] in REPLACE
    first = cli.resources()["tls_self_signed_cert.c"]["id"]
    cli.apply()
    assert cli.resources()["tls_self_signed_cert.c"]["id"] != first, "the renewal did not issue a new certificate"

    # outside the window: early_renewal_hours changes in place; entering the window replaces
    cli.write_tf(simple(10, 0))
    cli.apply()
    assert cli.plan_exit_code() == 0
    cli.write_tf(simple(10, 2))
    assert cli.actions()["tls_self_signed_cert.c"] == ["update"]
    cli.apply()
    cli.write_tf(simple(10, 10))
    assert cli.actions()["tls_self_signed_cert.c"] in REPLACE


def test_refresh_marks_ready_for_renewal(cli):
    cli.write_tf(simple(10, 1))
    cli.init()
    cli.apply()
    # age the certificate: its end time is now in the past
    state = json.loads(cli.run("state", "pull").stdout)
    attrs = state["resources"][-1]["instances"][0]["attributes"]
    assert state["resources"][-1]["type"] == "tls_self_signed_cert"
    attrs["validity_end_time"] = "2020-01-01T00:00:00Z"
    state["serial"] += 1
    (cli.workdir / "aged.tfstate").write_text(json.dumps(state))
    cli.run("state", "push", "aged.tfstate")
    cli.run("apply", "-refresh-only", "-auto-approve")
    assert cli.resources()["tls_self_signed_cert.c"]["ready_for_renewal"] is True
    assert cli.actions()["tls_self_signed_cert.c"] in REPLACE


def test_new_private_key_replaces(cli):
    cli.write_tf(simple(10))
    cli.init()
    cli.apply()
    cli.write_tf(simple(10).replace('algorithm = "ED25519"', 'algorithm = "ECDSA"\n  ecdsa_curve = "P256"'))
    acts = cli.actions()
    assert acts["tls_self_signed_cert.c"] in REPLACE
