terraform {
  required_providers {
    random = {
      source  = "thingform.local/thingform/random"
      version = "~> 0.1"
    }
  }
}

provider "random" {}
