# Unique, stable names for a small fleet of IoT devices, made by the
# thingform random provider. Until the aws and tls providers serve their
# resources, this is the fullest example: `make demo` runs it with OpenTofu
# and with Terraform.

terraform {
  required_providers {
    random = {
      source  = "thingform.local/thingform/random"
      version = "~> 0.1"
    }
  }
}

variable "fleet" {
  description = "Fleet the devices belong to; changing it renames every device."
  type        = string
  default     = "sensors-eu"
}

variable "devices" {
  description = "Device roles; one name is made per role."
  type        = set(string)
  default     = ["gateway", "thermostat"]
}

resource "random_id" "device" {
  for_each    = var.devices
  byte_length = 4
  prefix      = "${each.key}-"

  keepers = {
    fleet = var.fleet
  }
}

output "thing_names" {
  description = "The names to give the IoT things."
  value       = { for role, id in random_id.device : role => id.hex }
}

output "import_ids" {
  description = "What `terraform import` takes to adopt each name."
  value       = { for role, id in random_id.device : role => "${id.prefix},${id.id}" }
}
