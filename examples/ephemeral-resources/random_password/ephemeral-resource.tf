# A fresh password for a device's MQTT account, set on the broker by its own
# tool: the password reaches the command's environment and nothing else, so
# neither the plan nor the state holds it.
ephemeral "random_password" "mqtt" {
  length           = 24
  min_upper        = 2
  min_lower        = 2
  min_numeric      = 2
  min_special      = 2
  override_special = "-_.~"
}

resource "terraform_data" "mqtt_account" {
  input = "sensor-42"

  provisioner "local-exec" {
    command = "mosquitto_passwd -b /etc/mosquitto/passwd \"$DEVICE\" \"$PASSWORD\""
    environment = {
      DEVICE   = self.input
      PASSWORD = ephemeral.random_password.mqtt.result
    }
  }
}
