# Corporate networks often reach the internet only through a proxy: route
# tls_certificate's https:// reads through it.
provider "tls" {
  proxy {
    url      = "http://proxy.corp.example:3128"
    username = "iot-pipeline"
    password = var.proxy_password
  }
}

variable "proxy_password" {
  type      = string
  sensitive = true
}
