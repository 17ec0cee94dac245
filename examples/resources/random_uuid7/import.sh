# random_uuid7 imports by the UUID (8-4-4-4-12, bare hex, {braces} or urn:uuid:).
terraform import random_uuid7.job 017f22e2-79b0-7cc3-98c4-dc0c0c07398f
