# The identity of a small fleet of IoT devices, made entirely offline:
# unique thing names, a test certificate authority, and for each device a
# key, a certificate request and a certificate signed by that CA.  The aws
# provider only parses ARNs here (no AWS call is made), so this runs
# without credentials; the IoT resources that register the devices come
# next.  `make demo` applies it with OpenTofu and with Terraform.

terraform {
  required_providers {
    random = {
      source  = "thingform.local/thingform/random"
      version = "~> 0.1"
    }
    tls = {
      source  = "thingform.local/thingform/tls"
      version = "~> 0.1"
    }
    aws = {
      source  = "thingform.local/thingform/aws"
      version = "~> 0.1"
    }
  }
}

variable "fleet" {
  description = "Fleet the devices belong to; changing it renames (and re-keys) every device."
  type        = string
  default     = "greenhouse"
}

variable "devices" {
  description = "Device roles; one identity is made per role."
  type        = set(string)
  default     = ["gateway", "thermostat"]
}

variable "account_id" {
  description = "The AWS account the things will live in (only used to build ARNs here)."
  type        = string
  default     = "123456789012"
}

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "not-used-offline"
  secret_key                  = "not-used-offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = "true"
}

# --- names --------------------------------------------------------------

resource "random_id" "device" {
  for_each    = var.devices
  byte_length = 4
  prefix      = "${var.fleet}-${each.key}-"

  keepers = {
    fleet = var.fleet
  }
}

locals {
  thing_names = { for role, id in random_id.device : role => id.hex }
}

# --- a test certificate authority ------------------------------------------

resource "tls_private_key" "ca" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P384"
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.ca.private_key_pem
  is_ca_certificate     = true
  set_subject_key_id    = true
  validity_period_hours = 24 * 365
  early_renewal_hours   = 24 * 30
  allowed_uses          = ["cert_signing", "crl_signing"]

  subject {
    common_name  = "${var.fleet} test CA"
    organization = "thingform demo"
  }
}

# --- one identity per device ------------------------------------------------

resource "tls_private_key" "device" {
  for_each    = var.devices
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_cert_request" "device" {
  for_each        = var.devices
  private_key_pem = tls_private_key.device[each.key].private_key_pem

  subject {
    common_name  = local.thing_names[each.key]
    organization = "thingform demo"
  }
}

resource "tls_locally_signed_cert" "device" {
  for_each              = var.devices
  cert_request_pem      = tls_cert_request.device[each.key].cert_request_pem
  ca_private_key_pem    = tls_private_key.ca.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 24 * 90
  allowed_uses          = ["digital_signature", "client_auth"]
}

data "aws_arn" "thing" {
  for_each = var.devices
  arn      = "arn:aws:iot:eu-west-1:${var.account_id}:thing/${local.thing_names[each.key]}"
}

output "devices" {
  description = "Per device: its thing name and ARN parts, its certificate's serial, and its public key."
  value = {
    for role in var.devices : role => {
      thing_name     = local.thing_names[role]
      thing_region   = data.aws_arn.thing[role].region
      thing_resource = data.aws_arn.thing[role].resource
      cert_serial    = tls_locally_signed_cert.device[role].id
      ssh_public_key = trimspace(tls_private_key.device[role].public_key_openssh)
    }
  }
}

output "ca_cert_pem" {
  value = tls_self_signed_cert.ca.cert_pem
}
