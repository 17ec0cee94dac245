# aws_iot_thing_principal_attachment imports by "THING|PRINCIPAL": the thing's
# name and the principal's ARN (or Cognito identity id), joined by "|".
terraform import aws_iot_thing_principal_attachment.sensor 'greenhouse-sensor-01|arn:aws:iot:eu-west-1:123456789012:cert/5f8c7f3e2b1a4d6c9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d'
