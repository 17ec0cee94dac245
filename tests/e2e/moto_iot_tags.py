"""moto's server plus the AWS IoT tagging API it lacks.  TEST BED ONLY: never part of the provider.

moto (5.2) routes TagResource, UntagResource and ListTagsForResource (they are in botocore's model) but has
no handler for them, and CreatePolicy ignores its `tags`.  This module adds the three handlers to moto's
IoTResponse, keeps the tags per resource ARN on the region's IoT backend (so /moto-api/reset clears them
with everything else), makes CreatePolicy store its `tags` and DeletePolicy drop them, then runs
moto.server's main with the command line it was given:

    python moto_iot_tags.py -H 127.0.0.1 -p PORT

Only policies can be tagged here (the one IoT type the tests tag); any other ARN is ResourceNotFound,
as AWS answers for a resource that does not exist.

It also runs one IoT action at a time: moto's IoT backend is not thread-safe (a DeleteThing iterating
the things while a parallel request changes them fails with "OrderedDict mutated during iteration", an
HTTP 500 in HTML), and AWS never answers that.
"""

import sys
import threading

from moto import server
from moto.core.responses import ActionResult, EmptyResult
from moto.iot.exceptions import InvalidRequestException, ResourceNotFoundException
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


_call_action = IoTResponse.call_action
_one_at_a_time = threading.Lock()


def call_action(self):
    with _one_at_a_time:
        return _call_action(self)


IoTResponse.call_action = call_action
IoTResponse.tag_resource = tag_resource
IoTResponse.untag_resource = untag_resource
IoTResponse.list_tags_for_resource = list_tags_for_resource
IoTResponse.create_policy = create_policy
IoTResponse.delete_policy = delete_policy

if __name__ == "__main__":
    server.main(sys.argv[1:])
