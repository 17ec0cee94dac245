# aws_iot_thing imports by the thing's name.
terraform import aws_iot_thing.sensor greenhouse-sensor-01
