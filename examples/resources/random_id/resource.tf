# A short, stable suffix for names that must be unique, such as an IoT
# thing's name. It changes only when the keepers change.
resource "random_id" "suffix" {
  byte_length = 4
  prefix      = "device-"

  keepers = {
    fleet = "sensors-eu"
  }
}

output "thing_name" {
  value = random_id.suffix.hex
}
