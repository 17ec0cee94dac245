# An aws_iot_policy_attachment imports by POLICY_NAME|TARGET (hashicorp/aws
# cannot import it).
terraform import aws_iot_policy_attachment.door 'door-sensor|arn:aws:iot:eu-west-1:123456789012:cert/3f1c...'
