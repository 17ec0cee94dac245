# A device certificate, and the policy that says what it may do.
resource "aws_iot_certificate" "door" {
  active = true
}

resource "aws_iot_policy" "door_sensor" {
  name = "door-sensor"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iot:Connect", Resource = "*" }]
  })
}

resource "aws_iot_policy_attachment" "door" {
  policy = aws_iot_policy.door_sensor.name
  target = aws_iot_certificate.door.arn
}
