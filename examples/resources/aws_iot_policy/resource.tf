# What a door sensor may do: connect with its own client id, and publish
# and receive on its own topics.
resource "aws_iot_policy" "door_sensor" {
  name = "door-sensor"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "iot:Connect"
        Resource = "arn:aws:iot:eu-west-1:123456789012:client/$${iot:Connection.Thing.ThingName}"
      },
      {
        Effect = "Allow"
        Action = ["iot:Publish", "iot:Receive"]
        Resource = [
          "arn:aws:iot:eu-west-1:123456789012:topic/doors/$${iot:Connection.Thing.ThingName}/*",
        ]
      },
    ]
  })

  tags = {
    fleet = "doors"
  }

  # A delete waits this long for attachments that are still going away.
  timeouts {
    delete = "2m"
  }
}
