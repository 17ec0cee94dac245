# Only the provider block and a data-free output: every tls provider does
# the same work (handshake, schema, validate, configure, shutdown).
terraform {
  required_providers {
    tls = { source = "PROVIDER_SOURCE" }
  }
}

provider "tls" {}

output "ok" { value = true }
