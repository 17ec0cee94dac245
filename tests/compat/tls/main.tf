# Applied with the official hashicorp/tls (see schema.json for the version)
# to write terraform.tfstate; tests/e2e/test_compat_migration.py moves that
# state to thingform's tls.
terraform {
  required_providers {
    tls = { source = "hashicorp/tls" }
  }
}

variable "early_renewal_hours" {
  type    = number
  default = 24
}

resource "tls_private_key" "rsa" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_private_key" "ecdsa" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_private_key" "ed25519" {
  algorithm = "ED25519"
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.ecdsa.private_key_pem
  is_ca_certificate     = true
  validity_period_hours = 87600
  early_renewal_hours   = var.early_renewal_hours
  allowed_uses          = ["cert_signing", "crl_signing"]

  subject {
    common_name  = "thingform fixture CA"
    organization = "thingform"
  }
}

resource "tls_cert_request" "leaf" {
  private_key_pem = tls_private_key.rsa.private_key_pem
  dns_names       = ["leaf.fixture.test"]
  ip_addresses    = ["127.0.0.1"]

  subject {
    common_name = "leaf.fixture.test"
  }
}

resource "tls_locally_signed_cert" "leaf" {
  cert_request_pem      = tls_cert_request.leaf.cert_request_pem
  ca_private_key_pem    = tls_private_key.ecdsa.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 87600
  early_renewal_hours   = var.early_renewal_hours
  allowed_uses          = ["digital_signature", "key_encipherment", "server_auth"]
}

data "tls_public_key" "ed25519" {
  private_key_openssh = tls_private_key.ed25519.private_key_openssh
}

output "ed25519_fingerprint" {
  value = data.tls_public_key.ed25519.public_key_fingerprint_sha256
}
