variable "region" {
  description = "AWS region the device is registered in (and whose data endpoint it connects to)."
  type        = string
  default     = "eu-west-1"
}

variable "iot_endpoint" {
  description = "URL of the AWS IoT control-plane API; null uses the region's real endpoint. `make demo` points it at a local moto server."
  type        = string
  default     = null
}

variable "sts_endpoint" {
  description = "URL of the STS API (used to check the credentials); null uses the real one."
  type        = string
  default     = null
}

variable "thing_name_prefix" {
  description = "Start of the thing name; a random suffix makes it unique in the account."
  type        = string
  default     = "thingform-device"

  validation {
    condition     = can(regex("^[a-zA-Z0-9:_-]{1,119}$", var.thing_name_prefix))
    error_message = "thing_name_prefix: use 1 to 119 of the characters a-z, A-Z, 0-9, ':', '_' and '-' (AWS IoT thing names allow no others)."
  }
}

variable "organization" {
  description = "Organization (O) in the subject of the device certificate."
  type        = string
  default     = "thingform example"
}

variable "root_ca_url" {
  description = "Where to download the root CA the device trusts for the data endpoint: Amazon Root CA 1 by default (the ATS endpoints chain up to it)."
  type        = string
  default     = "https://www.amazontrust.com/repository/AmazonRootCA1.pem"
}

variable "root_ca_url_trust_pem" {
  description = "PEM certificates to trust when downloading root_ca_url; null trusts the system's roots. `make demo` sets it to its local test CA."
  type        = string
  default     = null
}
