# random_password imports by the password itself; bcrypt_hash is computed.
terraform import random_password.mqtt 'Xk3-n_Q8.vR2~pT7mW9-aZ4e'
