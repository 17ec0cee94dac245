# A short lowercase suffix for a bucket name: shown in the output, so use
# random_password for secrets.
resource "random_string" "bucket_suffix" {
  length  = 8
  upper   = false
  special = false
}

output "bucket_name" {
  value = "telemetry-${random_string.bucket_suffix.result}"
}
