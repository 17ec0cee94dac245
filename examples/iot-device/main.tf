# One AWS IoT device, complete: a thing, a key and certificate registered
# with AWS IoT and attached to the thing, a walled-garden policy that lets
# the device use only its own topics, and what the device needs to connect
# (see outputs.tf): its name, certificate, key, data endpoint and root CA.

# --- the thing ------------------------------------------------------------------

resource "random_id" "suffix" {
  byte_length = 4
}

locals {
  thing_name = "${var.thing_name_prefix}-${random_id.suffix.hex}"
}

resource "aws_iot_thing" "device" {
  name = local.thing_name
}

# --- its identity: a key and a self-signed certificate registered with AWS IoT --

resource "tls_private_key" "device" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "tls_self_signed_cert" "device" {
  private_key_pem       = tls_private_key.device.private_key_pem
  validity_period_hours = 240
  allowed_uses          = ["digital_signature", "key_encipherment", "client_auth"]

  subject {
    common_name  = local.thing_name
    organization = var.organization
  }
}

# No CA: AWS IoT registers the certificate as it is (RegisterCertificateWithoutCA);
# the device presents it on the ATS data endpoint with SNI.
resource "aws_iot_certificate" "device" {
  certificate_pem = tls_self_signed_cert.device.cert_pem
  active          = true
}

resource "aws_iot_thing_principal_attachment" "device" {
  thing     = aws_iot_thing.device.name
  principal = aws_iot_certificate.device.arn
}

# --- a walled-garden policy: the device may use its own client id and topics only --

# Partition, region and account of the thing, for the policy's ARNs.
data "aws_arn" "thing" {
  arn = aws_iot_thing.device.arn
}

locals {
  iot_arn = "arn:${data.aws_arn.thing.partition}:iot:${data.aws_arn.thing.region}:${data.aws_arn.thing.account}"
  # An IoT policy variable, resolved by AWS IoT at connect time ($${ keeps it from HCL).
  thing_var = "$${iot:Connection.Thing.ThingName}"
}

resource "aws_iot_policy" "device" {
  name = "${local.thing_name}-walled-garden"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iot:Connect"
        Resource = "${local.iot_arn}:client/${local.thing_var}"
      },
      {
        Effect   = "Allow"
        Action   = ["iot:Publish", "iot:Receive"]
        Resource = "${local.iot_arn}:topic/$aws/things/${local.thing_var}/*"
      },
      {
        Effect   = "Allow"
        Action   = "iot:Subscribe"
        Resource = "${local.iot_arn}:topicfilter/$aws/things/${local.thing_var}/*"
      },
    ]
  })
}

resource "aws_iot_policy_attachment" "device" {
  policy = aws_iot_policy.device.name
  target = aws_iot_certificate.device.arn
}

# --- where to connect, and whom to trust ------------------------------------------

data "aws_iot_endpoint" "data" {
  endpoint_type = "iot:Data-ATS"
}

data "http" "root_ca" {
  url         = var.root_ca_url
  ca_cert_pem = var.root_ca_url_trust_pem

  lifecycle {
    postcondition {
      condition     = self.status_code == 200 && can(regex("-----BEGIN CERTIFICATE-----", self.response_body))
      error_message = "root_ca_url did not return a PEM certificate (HTTP status ${self.status_code}); check the URL."
    }
  }
}
