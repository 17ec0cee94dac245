# random_uuid imports by the UUID in its 8-4-4-4-12 form.
terraform import random_uuid.job 6ba7b810-9dad-11d1-80b4-00c04fd430c8
