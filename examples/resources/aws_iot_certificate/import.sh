# aws_iot_certificate imports by its certificate id (64 hexadecimal
# characters, the end of its ARN). AWS never returns a private key again,
# so private_key and public_key stay null; a configuration that sets csr
# (or ca_pem) the certificate agrees with records it in place.
terraform import aws_iot_certificate.device 0e6b2f4a8c1d3e5f7a9b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f
