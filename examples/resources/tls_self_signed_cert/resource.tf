resource "tls_private_key" "fleet_ca" {
  algorithm = "RSA"
  rsa_bits  = 3072
}

# Root certificate of a test CA. Register it with AWS IoT so that device
# certificates it signs are trusted (e.g. for just-in-time registration).
resource "tls_self_signed_cert" "fleet_ca" {
  private_key_pem = tls_private_key.fleet_ca.private_key_pem

  subject {
    common_name  = "Greenhouse Fleet Test CA"
    organization = "Thingform Labs"
    country      = "NL"
  }

  is_ca_certificate    = true
  set_subject_key_id   = true
  set_authority_key_id = true

  validity_period_hours = 8760 # one year
  early_renewal_hours   = 720  # replace it during the last 30 days

  allowed_uses = [
    "cert_signing",
    "crl_signing",
    "digital_signature",
  ]
}
