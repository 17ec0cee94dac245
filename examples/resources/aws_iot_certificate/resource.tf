# A device certificate issued by AWS IoT for a key that never leaves the
# device: only the certificate signing request is sent.
resource "tls_private_key" "device" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "device" {
  private_key_pem = tls_private_key.device.private_key_pem

  subject {
    common_name = "sensor-0001"
  }
}

resource "aws_iot_certificate" "device" {
  csr    = tls_cert_request.device.cert_request_pem
  active = true
}

# Or let AWS IoT generate the key pair: private_key and public_key are set
# only then, and only at creation.
resource "aws_iot_certificate" "generated" {
  active = true
}

output "certificate_arn" {
  value = aws_iot_certificate.device.arn
}
