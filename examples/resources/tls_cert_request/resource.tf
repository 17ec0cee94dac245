resource "tls_private_key" "sensor" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

# Signing request for one device. Its common name is also the device's
# AWS IoT thing name.
resource "tls_cert_request" "sensor" {
  private_key_pem = tls_private_key.sensor.private_key_pem

  subject {
    common_name         = "greenhouse-sensor-042"
    organization        = "Thingform Labs"
    organizational_unit = "Field Devices"
    serial_number       = "GS-0042"
  }
}
