# random_id imports by its id (URL-safe base64, no padding), optionally
# preceded by the prefix and a comma.
terraform import random_id.suffix device-,p-9K0w
