# A fleet of AWS IoT devices from one map (var.devices), each with an ECDSA
# P-256 key that never leaves this configuration: AWS IoT signs a
# certificate for it from a certificate signing request.  One walled-garden
# policy serves every device, since it names the connected thing through a
# policy variable rather than by name.

resource "random_id" "device" {
  for_each    = var.devices
  byte_length = 3
  prefix      = "${var.fleet}-${each.key}-"
}

resource "aws_iot_thing" "device" {
  for_each   = var.devices
  name       = random_id.device[each.key].hex
  attributes = each.value
}

resource "tls_private_key" "device" {
  for_each    = var.devices
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "device" {
  for_each        = var.devices
  private_key_pem = tls_private_key.device[each.key].private_key_pem

  subject {
    common_name  = aws_iot_thing.device[each.key].name
    organization = var.organization
  }
}

# CreateCertificateFromCsr: AWS IoT's CA signs the request's public key.
resource "aws_iot_certificate" "device" {
  for_each = var.devices
  csr      = tls_cert_request.device[each.key].cert_request_pem
  active   = true
}

resource "aws_iot_thing_principal_attachment" "device" {
  for_each  = var.devices
  thing     = aws_iot_thing.device[each.key].name
  principal = aws_iot_certificate.device[each.key].arn
}

# --- one walled-garden policy for the whole fleet ---------------------------------

data "aws_arn" "thing" {
  arn = values(aws_iot_thing.device)[0].arn
}

locals {
  iot_arn   = "arn:${data.aws_arn.thing.partition}:iot:${data.aws_arn.thing.region}:${data.aws_arn.thing.account}"
  thing_var = "$${iot:Connection.Thing.ThingName}"
}

resource "aws_iot_policy" "fleet" {
  name = "${var.fleet}-walled-garden"
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
  for_each = var.devices
  policy   = aws_iot_policy.fleet.name
  target   = aws_iot_certificate.device[each.key].arn
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
