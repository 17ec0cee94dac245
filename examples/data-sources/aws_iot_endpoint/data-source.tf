data "aws_iot_endpoint" "data_ats" {
  endpoint_type = "iot:Data-ATS"
}

output "mqtt_host" {
  value = data.aws_iot_endpoint.data_ats.endpoint_address
}
