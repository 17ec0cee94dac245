# Amazon's root CA, which AWS IoT devices need to trust their endpoint.
data "http" "amazon_root_ca" {
  url = "https://www.amazontrust.com/repository/AmazonRootCA1.pem"

  retry {
    attempts     = 2
    min_delay_ms = 500
  }

  lifecycle {
    postcondition {
      condition     = self.status_code == 200
      error_message = "Could not download Amazon's root CA."
    }
  }
}

output "root_ca_pem" {
  value = data.http.amazon_root_ca.response_body
}
