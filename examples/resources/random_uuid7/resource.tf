# An RFC 9562 version 7 UUID: later ones sort after earlier ones, handy as a
# database key for device records.
resource "random_uuid7" "job" {}

output "job_id" {
  value = random_uuid7.job.result
}
