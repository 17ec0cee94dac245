# random_uuid4 imports by the UUID (8-4-4-4-12, bare hex, {braces} or urn:uuid:).
terraform import random_uuid4.job 1b4e28ba-2fa1-41d2-883f-0016d3cca427
