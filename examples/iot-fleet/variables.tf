variable "region" {
  description = "AWS region the devices are registered in."
  type        = string
  default     = "eu-west-1"
}

variable "iot_endpoint" {
  description = "URL of the AWS IoT control-plane API; null uses the region's real endpoint."
  type        = string
  default     = null
}

variable "sts_endpoint" {
  description = "URL of the STS API (used to check the credentials); null uses the real one."
  type        = string
  default     = null
}

variable "fleet" {
  description = "Name of the fleet: the start of every thing name and the name of the shared policy."
  type        = string
  default     = "greenhouse"

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.fleet))
    error_message = "fleet: use 1 to 64 of the characters a-z, A-Z, 0-9, '_' and '-'."
  }
}

variable "devices" {
  description = "The devices, by role: each gets a thing named <fleet>-<role>-<suffix> with these attributes."
  type        = map(map(string))
  default = {
    gateway    = { model = "gw-2", location = "shed" }
    thermostat = { model = "th-7", location = "north-bed" }
    hygrometer = { model = "hy-1", location = "south-bed" }
  }

  validation {
    condition     = length(var.devices) > 0 && alltrue([for role in keys(var.devices) : can(regex("^[a-zA-Z0-9_-]{1,40}$", role))])
    error_message = "devices: give at least one device; each role (map key) needs 1 to 40 of the characters a-z, A-Z, 0-9, '_' and '-'."
  }
}

variable "organization" {
  description = "Organization (O) in the subject of each certificate request."
  type        = string
  default     = "thingform example"
}

variable "root_ca_url" {
  description = "Where to download the root CA the devices trust for the data endpoint (Amazon Root CA 1)."
  type        = string
  default     = "https://www.amazontrust.com/repository/AmazonRootCA1.pem"
}

variable "root_ca_url_trust_pem" {
  description = "PEM certificates to trust when downloading root_ca_url; null trusts the system's roots."
  type        = string
  default     = null
}
