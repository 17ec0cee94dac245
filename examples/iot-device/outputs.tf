# Everything the device needs to connect to AWS IoT Core over MQTT with mutual TLS.
# Write them to files with, for example:
#   terraform output -raw certificate_pem > device.pem.crt
#   terraform output -raw private_key_pem > private.pem.key   (keep it secret)
#   terraform output -raw root_ca_pem     > AmazonRootCA1.pem

output "thing_name" {
  description = "The thing's name; use it as the MQTT client id (the policy allows no other)."
  value       = aws_iot_thing.device.name
}

output "certificate_pem" {
  description = "The device certificate, as registered with AWS IoT (public; the provider marks the attribute sensitive)."
  value       = nonsensitive(aws_iot_certificate.device.certificate_pem)
}

output "private_key_pem" {
  description = "The device's private key (PEM). It is in the state: keep the state private."
  value       = tls_private_key.device.private_key_pem
  sensitive   = true
}

output "endpoint" {
  description = "The account's AWS IoT data endpoint (ATS) to connect to, port 8883."
  value       = data.aws_iot_endpoint.data.endpoint_address
}

output "root_ca_pem" {
  description = "The root CA the device trusts for the endpoint."
  value       = data.http.root_ca.response_body
}
