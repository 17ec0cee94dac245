terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "thingform.local/thingform/aws"
      version = "~> 0.1"
    }
    tls = {
      source  = "thingform.local/thingform/tls"
      version = "~> 0.1"
    }
    random = {
      source  = "thingform.local/thingform/random"
      version = "~> 0.1"
    }
    http = {
      source  = "thingform.local/thingform/http"
      version = "~> 0.1"
    }
  }
}

# Credentials come from the usual places (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
# AWS_PROFILE, ~/.aws/credentials, ...), never from this file.
provider "aws" {
  region = var.region

  # Both null (the default): the real AWS endpoints of var.region.
  endpoints {
    iot = var.iot_endpoint
    sts = var.sts_endpoint
  }
}
