# A random identifier for a fleet job, in UUID text form.
resource "random_uuid" "job" {}

output "job_id" {
  value = random_uuid.job.result
}
