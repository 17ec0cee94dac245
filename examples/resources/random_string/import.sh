# random_string imports by the string itself.
terraform import random_string.bucket_suffix k3x9q2ab
