# A device whose key was generated at the factory: read the key that was
# exported for it and publish the public half, e.g. to check it against
# the key in the device's AWS IoT certificate.
data "tls_public_key" "sensor" {
  private_key_pem = file("${path.module}/keys/greenhouse-sensor-042.pem")
}

output "sensor_public_key" {
  value = data.tls_public_key.sensor.public_key_pem
}

output "sensor_key_fingerprint" {
  value = data.tls_public_key.sensor.public_key_fingerprint_sha256
}
