# The public half and fingerprint of a key that is itself ephemeral, for a
# tool that registers the device's key with the fleet's inventory.
ephemeral "tls_private_key" "device" {
  algorithm = "ED25519"
}

ephemeral "tls_public_key" "device" {
  private_key_openssh = ephemeral.tls_private_key.device.private_key_openssh
}

resource "terraform_data" "register" {
  input = "sensor-42"

  provisioner "local-exec" {
    command = "inventory add-key \"$DEVICE\" \"$PUBLIC_KEY\" --fingerprint \"$FINGERPRINT\""
    environment = {
      DEVICE      = self.input
      PUBLIC_KEY  = ephemeral.tls_public_key.device.public_key_openssh
      FINGERPRINT = ephemeral.tls_public_key.device.public_key_fingerprint_sha256
    }
  }
}
