# Pin the CA chain a fleet of devices will see when they connect to
# AWS IoT Core over MQTT (port 8883), and describe a certificate that was
# issued to one device.
variable "iot_endpoint" {
  description = "The account's AWS IoT data endpoint, e.g. from data.aws_iot_endpoint."
  type        = string
  default     = "a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com"
}

# A bare TLS handshake with the MQTT port: tls:// needs the port and never
# goes through a proxy.
data "tls_certificate" "iot_mqtt" {
  url = "tls://${var.iot_endpoint}:8883"
}

# The same endpoint over HTTPS (port 443) honours the provider's proxy.
data "tls_certificate" "iot_https" {
  url = "https://${var.iot_endpoint}"
}

# A device certificate stored with the firmware image.
data "tls_certificate" "sensor" {
  content = file("${path.module}/certs/greenhouse-sensor-042.pem")
}

output "iot_root_fingerprint" {
  description = "SHA-1 of the root the endpoint chains to (the first element)."
  value       = data.tls_certificate.iot_mqtt.certificates[0].sha1_fingerprint
}

output "iot_server_not_after" {
  description = "When the endpoint's own certificate (the last element) expires."
  value       = data.tls_certificate.iot_https.certificates[length(data.tls_certificate.iot_https.certificates) - 1].not_after
}

output "sensor_identity" {
  value = {
    subject = data.tls_certificate.sensor.certificates[0].subject
    serial  = data.tls_certificate.sensor.certificates[0].serial_number
  }
}
