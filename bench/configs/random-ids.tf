# 100 random_id resources: the same work for any random provider.
terraform {
  required_providers {
    random = { source = "PROVIDER_SOURCE" }
  }
}

resource "random_id" "n" {
  count       = 100
  byte_length = 16
  prefix      = "device-${count.index}-"
}
