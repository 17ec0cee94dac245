# Two of the three regions, in a random order, for a device's fallback
# endpoints.
resource "random_shuffle" "regions" {
  input        = ["eu-west-1", "eu-central-1", "eu-north-1"]
  result_count = 2
}

output "fallback_regions" {
  value = random_shuffle.regions.result
}
