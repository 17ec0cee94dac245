# A port for a test broker between 20000 and 29999, new when the fleet
# changes.
resource "random_integer" "broker_port" {
  min = 20000
  max = 29999

  keepers = {
    fleet = "sensors-eu"
  }
}

# With a seed the same number comes back every time the resource is
# created, here a shard number derived from a device's name.
resource "random_integer" "shard" {
  min  = 0
  max  = 15
  seed = "thermostat-0042"
}

output "broker_port" {
  value = random_integer.broker_port.result
}
