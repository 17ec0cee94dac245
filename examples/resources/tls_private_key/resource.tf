# Key pair for one AWS IoT device. AWS IoT accepts ECDSA P-256 keys,
# which are also cheap to use on a small microcontroller.
resource "tls_private_key" "sensor" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

# Key of the test certificate authority that signs device certificates.
resource "tls_private_key" "fleet_ca" {
  algorithm = "RSA"
  rsa_bits  = 3072
}

# The device firmware expects a PKCS #8 key.
output "sensor_key_pkcs8" {
  value     = tls_private_key.sensor.private_key_pem_pkcs8
  sensitive = true
}
