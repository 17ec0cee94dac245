# A device key generated for a provisioning run and handed to the flashing
# tool; only the tool ever holds it, never the plan or the state.
ephemeral "tls_private_key" "device" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "terraform_data" "flash" {
  input = "sensor-42"

  provisioner "local-exec" {
    command = "printf '%s' \"$KEY\" | flash-tool --device \"$DEVICE\" --private-key -"
    environment = {
      DEVICE = self.input
      KEY    = ephemeral.tls_private_key.device.private_key_pem
    }
  }
}
