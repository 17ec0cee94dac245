# A 32-byte key for a device's message signing, kept out of the CLI's
# output (base64 and hex are sensitive).
resource "random_bytes" "signing_key" {
  length = 32
}

output "signing_key_b64" {
  value     = random_bytes.signing_key.base64
  sensitive = true
}
