# A readable name for a test device, such as "lab-brave-otter".
resource "random_pet" "device" {
  prefix = "lab"
  length = 2
}

output "device_name" {
  value = random_pet.device.id
}
