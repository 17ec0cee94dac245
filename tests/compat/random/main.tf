# Applied with the official hashicorp/random (see schema.json for the
# version) to write terraform.tfstate; tests/e2e/test_compat_migration.py
# moves that state to thingform's random.
terraform {
  required_providers {
    random = { source = "hashicorp/random" }
  }
}

variable "generation" {
  type    = string
  default = "1"
}

resource "random_id" "id" {
  byte_length = 8
  prefix      = "fx-"
  keepers     = { generation = var.generation }
}

resource "random_bytes" "bytes" {
  length = 24
}

resource "random_integer" "integer" {
  min  = 1
  max  = 1000
  seed = "fixture"
}

resource "random_password" "password" {
  length           = 24
  min_special      = 2
  override_special = "!#%"
}

resource "random_string" "string" {
  length  = 16
  special = false
  keepers = { generation = var.generation }
}

resource "random_pet" "pet" {
  length    = 3
  separator = "_"
  prefix    = "fx"
}

resource "random_shuffle" "shuffle" {
  input        = ["a", "b", "c", "d", "e"]
  result_count = 3
}

resource "random_uuid" "uuid" {}

resource "random_uuid4" "uuid4" {}

resource "random_uuid7" "uuid7" {}
