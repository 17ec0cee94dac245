# Binds a device certificate to its thing, so the device connects as that thing.
resource "aws_iot_thing" "sensor" {
  name = "greenhouse-sensor-01"
}

resource "aws_iot_certificate" "sensor" {
  active = true
}

resource "aws_iot_thing_principal_attachment" "sensor" {
  thing     = aws_iot_thing.sensor.name
  principal = aws_iot_certificate.sensor.arn

  # Only this thing may use the certificate.
  thing_principal_type = "EXCLUSIVE_THING"
}
