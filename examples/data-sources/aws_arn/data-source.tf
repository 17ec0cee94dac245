data "aws_arn" "thing" {
  arn = "arn:aws:iot:eu-west-1:123456789012:thing/sensor-1"
}

output "thing_region" {
  value = data.aws_arn.thing.region # "eu-west-1"
}
