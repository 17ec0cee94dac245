"""moto's server with the gaps that matter to the IoT resources filled.  TEST BED ONLY: never part of
the provider.

    python moto_testbed.py -H 127.0.0.1 -p PORT

What it adds to moto (5.2), before running moto.server's main with the command line it was given:

- the IoT tagging API: moto routes TagResource, UntagResource and ListTagsForResource (they are in
  botocore's model) but has no handler for them, and CreatePolicy ignores its `tags`.  The tags are kept
  per resource ARN on the region's IoT backend (so /moto-api/reset clears them with everything else);
  only policies can be tagged (the one IoT type the provider tags); any other ARN is ResourceNotFound, as
  AWS answers for a resource that does not exist;
- DescribeEndpoint: moto makes up a new address on every call, where AWS gives an account one address
  per region and type; a data source reading it would never plan "No changes";
- CreateCertificateFromCsr: moto certifies a fresh random key of its own instead of the request's key, so
  a device's key would not match its certificate; here the CSR's key is certified;
- one IoT action at a time: moto's IoT backend is not thread-safe (a DeleteThing iterating the things
  while a parallel request changes them fails with "OrderedDict mutated during iteration", an HTTP 500 in
  HTML), and AWS never answers that.
"""

import datetime
import threading
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from moto import server
from moto.core.responses import ActionResult, EmptyResult
from moto.iot.exceptions import InvalidRequestException, ResourceNotFoundException
from moto.iot.models import IoTBackend
from moto.iot.responses import IoTResponse

MAX_TAGS = 50  # AWS's limit per resource


def _tags_of(backend, arn):
    """The tag dict of the resource `arn` (created empty on first use); ResourceNotFound if none."""
    if not any(p.arn == arn for p in backend.policies.values()):
        raise ResourceNotFoundException(f"No resource with the ARN {arn}")
    return backend.__dict__.setdefault("test_bed_tags", {}).setdefault(arn, {})


def _merge(tags, new):
    for t in new or []:
        if not isinstance(t, dict) or not t.get("Key"):
            raise InvalidRequestException("every tag needs a Key")
        tags[t["Key"]] = t.get("Value", "")
    if len(tags) > MAX_TAGS:
        raise InvalidRequestException(f"a resource can have at most {MAX_TAGS} tags")


def tag_resource(self):
    _merge(_tags_of(self.iot_backend, self._get_param("resourceArn")), self._get_param("tags"))
    return EmptyResult()


def untag_resource(self):
    tags = _tags_of(self.iot_backend, self._get_param("resourceArn"))
    for key in self._get_param("tagKeys") or []:
        tags.pop(key, None)
    return EmptyResult()


def list_tags_for_resource(self):
    tags = _tags_of(self.iot_backend, self._get_param("resourceArn"))
    return ActionResult({"tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]})


_create_policy = IoTResponse.create_policy
_delete_policy = IoTResponse.delete_policy


def create_policy(self):
    result = _create_policy(self)
    policy = self.iot_backend.get_policy(self._get_param("policyName"))
    try:
        _merge(_tags_of(self.iot_backend, policy.arn), self._get_param("tags"))
    except InvalidRequestException:
        self.iot_backend.delete_policy(policy.name)
        raise
    return result


def delete_policy(self):
    policy = self.iot_backend.get_policy(self._get_param("policyName"))
    result = _delete_policy(self)
    self.iot_backend.__dict__.get("test_bed_tags", {}).pop(policy.arn, None)
    return result


_describe_endpoint = IoTBackend.describe_endpoint


def stable_endpoint(self, endpoint_type):
    known = self.__dict__.setdefault("test_bed_endpoints", {})
    if endpoint_type not in known:
        known[endpoint_type] = _describe_endpoint(self, endpoint_type)
    return known[endpoint_type]


_ISSUER_KEY = ec.generate_private_key(ec.SECP256R1())
_ISSUER = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "thingform test bed"),
                     x509.NameAttribute(NameOID.COMMON_NAME, "moto IoT CA")])


def certificate_from_csr(self, csr, set_as_active):
    request = x509.load_pem_x509_csr(csr.encode())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(request.subject).issuer_name(_ISSUER)
            .public_key(request.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(_ISSUER_KEY, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return self.register_certificate(pem, ca_certificate_pem=None, set_as_active=set_as_active,
                                     status="INACTIVE")


_call_action = IoTResponse.call_action
_one_at_a_time = threading.Lock()


def call_action(self):
    with _one_at_a_time:
        return _call_action(self)


IoTResponse.call_action = call_action
IoTBackend.describe_endpoint = stable_endpoint
IoTBackend.create_certificate_from_csr = certificate_from_csr
IoTResponse.tag_resource = tag_resource
IoTResponse.untag_resource = untag_resource
IoTResponse.list_tags_for_resource = list_tags_for_resource
IoTResponse.create_policy = create_policy
IoTResponse.delete_policy = delete_policy

if __name__ == "__main__":
    server.main(sys.argv[1:])
