output "devices" {
  description = "Per role: the thing name (the MQTT client id) and the certificate AWS IoT signed."
  value = {
    for role in keys(var.devices) : role => {
      thing_name      = aws_iot_thing.device[role].name
      certificate_pem = nonsensitive(aws_iot_certificate.device[role].certificate_pem)
    }
  }
}

output "private_keys_pem" {
  description = "Per role: the device's private key (PEM). It is in the state: keep the state private."
  value       = { for role, key in tls_private_key.device : role => key.private_key_pem }
  sensitive   = true
}

output "endpoint" {
  description = "The account's AWS IoT data endpoint (ATS) to connect to, port 8883."
  value       = data.aws_iot_endpoint.data.endpoint_address
}

output "root_ca_pem" {
  description = "The root CA the devices trust for the endpoint."
  value       = data.http.root_ca.response_body
}
