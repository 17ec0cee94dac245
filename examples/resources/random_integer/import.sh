# random_integer imports as RESULT,MIN,MAX or RESULT,MIN,MAX,SEED.
terraform import random_integer.broker_port 24817,20000,29999
terraform import random_integer.shard 7,0,15,thermostat-0042
