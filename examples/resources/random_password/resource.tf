# A password for a device's MQTT account: 24 characters with at least two
# of each class, special characters limited to ones that need no quoting.
resource "random_password" "mqtt" {
  length           = 24
  min_upper        = 2
  min_lower        = 2
  min_numeric      = 2
  min_special      = 2
  override_special = "-_.~"
}

# A broker that stores bcrypt hashes gets the hash, never the password.
output "mqtt_password_hash" {
  value     = random_password.mqtt.bcrypt_hash
  sensitive = true
}
