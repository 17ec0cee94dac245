# A GET request, with the status checked by a postcondition.
data "http" "example" {
  url = "https://checkpoint-api.hashicorp.com/v1/check/terraform"

  request_headers = {
    Accept = "application/json"
  }

  retry {
    attempts     = 2
    min_delay_ms = 500
  }

  lifecycle {
    postcondition {
      condition     = self.status_code == 200
      error_message = "Status code invalid"
    }
  }
}

output "terraform_version" {
  value = jsondecode(data.http.example.response_body).current_version
}
