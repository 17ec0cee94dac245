# Applied with the official hashicorp/http (see schema.json for the
# version) to write terraform.tfstate; tests/e2e/test_compat_migration.py
# moves that state to thingform's http.  `url` points at a loopback server
# of the test (http_servers.py) that answers /plain with "hello\n".
terraform {
  required_providers {
    http = { source = "hashicorp/http" }
  }
}

variable "url" {
  type = string
}

data "http" "page" {
  url = var.url

  request_headers = {
    Accept = "text/plain"
  }
}

resource "terraform_data" "page" {
  input = {
    status = data.http.page.status_code
    body   = data.http.page.response_body
  }
}
