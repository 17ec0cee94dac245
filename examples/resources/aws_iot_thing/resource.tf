# A device's registry entry, with searchable attributes. The thing type must
# already exist (AWS allows at most 3 attributes on a thing without one).
resource "aws_iot_thing" "sensor" {
  name            = "greenhouse-sensor-01"
  thing_type_name = "temperature-sensor"

  attributes = {
    site     = "greenhouse-3"
    firmware = "2.4.1"
  }
}

output "thing_arn" {
  value = aws_iot_thing.sensor.arn
}
