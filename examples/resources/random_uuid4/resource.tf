# An RFC 9562 version 4 UUID as a client token for a provisioning request.
resource "random_uuid4" "job" {}

output "job_id" {
  value = random_uuid4.job.result
}
