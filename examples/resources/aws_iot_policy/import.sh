# An aws_iot_policy imports by its name.
terraform import aws_iot_policy.door_sensor door-sensor
