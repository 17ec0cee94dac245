# random_bytes imports by its base64 attribute (standard base64 with padding).
terraform import random_bytes.signing_key 3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGho=
