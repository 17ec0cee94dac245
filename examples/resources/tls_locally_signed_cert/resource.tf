# A test CA and one device, end to end: the device certificate is signed
# by the CA and then attached to the device's AWS IoT thing.

resource "tls_private_key" "fleet_ca" {
  algorithm = "RSA"
  rsa_bits  = 3072
}

resource "tls_self_signed_cert" "fleet_ca" {
  private_key_pem = tls_private_key.fleet_ca.private_key_pem

  subject {
    common_name = "Greenhouse Fleet Test CA"
  }

  is_ca_certificate     = true
  validity_period_hours = 8760
  allowed_uses          = ["cert_signing", "crl_signing"]
}

resource "tls_private_key" "sensor" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "sensor" {
  private_key_pem = tls_private_key.sensor.private_key_pem

  subject {
    common_name = "greenhouse-sensor-042"
  }
}

# The device certificate: AWS IoT devices authenticate as TLS clients.
resource "tls_locally_signed_cert" "sensor" {
  cert_request_pem   = tls_cert_request.sensor.cert_request_pem
  ca_private_key_pem = tls_private_key.fleet_ca.private_key_pem
  ca_cert_pem        = tls_self_signed_cert.fleet_ca.cert_pem

  validity_period_hours = 2160 # 90 days
  early_renewal_hours   = 336  # reissue during the last two weeks

  allowed_uses = [
    "digital_signature",
    "client_auth",
  ]
}

output "sensor_cert_pem" {
  value = tls_locally_signed_cert.sensor.cert_pem
}
