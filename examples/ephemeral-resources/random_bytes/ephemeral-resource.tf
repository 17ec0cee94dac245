# A 256-bit key for a device's payload encryption, written straight into a
# secret store: Terraform passes it to the command and keeps no copy.
ephemeral "random_bytes" "payload_key" {
  length = 32
}

resource "terraform_data" "payload_key" {
  input = "devices/sensor-42/payload-key"

  provisioner "local-exec" {
    command = "vault kv put \"secret/$KEY_PATH\" value=\"$KEY\""
    environment = {
      KEY_PATH = self.input
      KEY      = ephemeral.random_bytes.payload_key.base64
    }
  }
}
