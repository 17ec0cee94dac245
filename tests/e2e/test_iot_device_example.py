"""examples/iot-device and examples/iot-fleet through both CLIs against the demo's local stand-ins.

The stand-ins are the ones `make demo` uses (examples/local_aws.py): moto as AWS IoT and STS, an HTTPS
server serving a test root CA where the examples fetch Amazon Root CA 1, and mosquitto as the data
endpoint.  The example files are applied unchanged; only their variables and the credentials point them
at loopback.  Checked: every output, the policy document AWS holds, what AWS holds for the device (out of
band, with boto3), one MQTT message published as the device, an empty second plan, and a destroy that
leaves the backend empty; and that the endpoint variables left null (as against real AWS) are accepted.
"""

import datetime
import json
import re
import shutil
import sys
import urllib.request
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from aws_fixtures import ACCOUNT, REGION, aws_env
from conftest import REPO

sys.path.insert(0, str(REPO / "examples"))
import local_aws  # noqa: E402

EMPTY = {"things": [], "certificates": [], "policies": []}
THING_VAR = "${iot:Connection.Thing.ThingName}"
IOT_ARN = f"arn:aws:iot:{REGION}:{ACCOUNT}"


def walled_garden():
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "iot:Connect", "Resource": f"{IOT_ARN}:client/{THING_VAR}"},
        {"Effect": "Allow", "Action": ["iot:Publish", "iot:Receive"],
         "Resource": f"{IOT_ARN}:topic/$aws/things/{THING_VAR}/*"},
        {"Effect": "Allow", "Action": "iot:Subscribe",
         "Resource": f"{IOT_ARN}:topicfilter/$aws/things/{THING_VAR}/*"},
    ]}


@pytest.fixture(scope="module")
def stand_ins(tmp_path_factory):
    directory = tmp_path_factory.mktemp("stand-ins")
    pki = local_aws.write_pki(directory)
    with open(directory / "moto.log", "w") as log:
        proc, url = local_aws.start_moto(log)
        ca = None
        try:
            ca = local_aws.CaServer(pki)
            yield SimpleNamespace(dir=directory, url=url, pki=pki, iot=local_aws.iot_client(url),
                                  env=local_aws.example_env(url, ca.url, pki.ca_pem))
        finally:
            if ca:
                ca.close()
            local_aws.stop(proc)


@pytest.fixture
def example(cli, stand_ins, tmp_path):
    """`cli` with a fresh moto and the environment that points an example at the stand-ins;
    call it with the example's directory name to copy its files in."""
    urllib.request.urlopen(urllib.request.Request(f"{stand_ins.url}/moto-api/reset", method="POST"),
                           timeout=10).read()
    cli.env = {**cli.env, **aws_env(tmp_path / "home"), **stand_ins.env}

    def use(name):
        for tf in (REPO / "examples" / name).glob("*.tf"):
            shutil.copy(tf, cli.workdir)
        return cli

    return use


def load_cert(pem):
    return x509.load_pem_x509_certificate(pem.encode())


def test_iot_device(example, stand_ins, tmp_path):
    cli = example("iot-device")
    cli.init()
    cli.apply()
    out = cli.outputs()
    assert set(out) == {"thing_name", "certificate_pem", "private_key_pem", "endpoint", "root_ca_pem"}
    thing = out["thing_name"]
    assert re.fullmatch(r"thingform-device-[0-9a-f]{8}", thing), thing

    # The private key is a sensitive output; the others are not.
    raw = json.loads(cli.run("output", "-json").stdout)
    assert {k for k, v in raw.items() if v["sensitive"]} == {"private_key_pem"}
    assert "private_key_pem = <sensitive>" in cli.run("output").stdout

    key = local_aws.load_private_key(out["private_key_pem"])
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    cert = load_cert(out["certificate_pem"])
    assert {a.oid: a.value for a in cert.subject} == {NameOID.COMMON_NAME: thing,
                                                      NameOID.ORGANIZATION_NAME: "thingform example"}
    assert cert.subject == cert.issuer
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == datetime.timedelta(hours=240)
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.key_encipherment and not ku.key_cert_sign
    assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == \
        [ExtendedKeyUsageOID.CLIENT_AUTH]
    assert local_aws.same_public_key(out["certificate_pem"], out["private_key_pem"])

    assert out["root_ca_pem"] == stand_ins.pki.ca_pem
    assert re.fullmatch(rf"[a-z0-9]{{14}}-ats\.iot\.{REGION}\.amazonaws\.com", out["endpoint"]), out["endpoint"]

    # Out of band: the thing, its one ACTIVE certificate (the output's PEM, the output key's public key),
    # the endpoint, and the policy attached to the certificate, whose document is the walled garden.
    _, documents = local_aws.check_device(stand_ins.url, out)
    assert documents == {f"{thing}-walled-garden": walled_garden()}

    topic, payload, connected, refused = local_aws.mqtt_publish(tmp_path / "mqtt", stand_ins.dir, out, "hello")
    assert (topic, payload) == (f"$aws/things/{thing}/demo", "hello")
    assert f" as {thing} " in connected and f"u'{thing}'" in connected  # identified by its certificate's CN
    assert "certificate verify failed" in refused  # a certificate the broker was not given does not get in

    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert local_aws.backend_contents(stand_ins.url) == EMPTY
    assert cli.state_list() == []


def test_iot_fleet(example, stand_ins, tmp_path):
    cli = example("iot-fleet")
    devices = {"gateway": {"model": "gw-2"}, "sensor": {"model": "s-9", "room": "attic"}}
    cli.env = {**cli.env, "TF_VAR_devices": json.dumps(devices), "TF_VAR_fleet": "attic"}
    cli.init()
    cli.apply()
    out = cli.outputs()
    assert set(out) == {"devices", "private_keys_pem", "endpoint", "root_ca_pem"}
    assert set(out["devices"]) == set(out["private_keys_pem"]) == set(devices)
    iot = stand_ins.iot
    for role, attrs in devices.items():
        device, key_pem = out["devices"][role], out["private_keys_pem"][role]
        thing = device["thing_name"]
        assert re.fullmatch(rf"attic-{role}-[0-9a-f]{{6}}", thing), thing
        assert iot.describe_thing(thingName=thing)["attributes"] == attrs
        key = local_aws.load_private_key(key_pem)
        assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
        # The certificate AWS signed from the CSR certifies the device's own key and names the thing.
        assert local_aws.same_public_key(device["certificate_pem"], key_pem)
        assert load_cert(device["certificate_pem"]).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value \
            == thing
        _, documents = local_aws.check_device(stand_ins.url, {
            "thing_name": thing, "certificate_pem": device["certificate_pem"], "private_key_pem": key_pem,
            "endpoint": out["endpoint"]})
        assert documents == {"attic-walled-garden": walled_garden()}
    assert out["root_ca_pem"] == stand_ins.pki.ca_pem

    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert local_aws.backend_contents(stand_ins.url) == EMPTY


def test_iot_device_endpoints_default(example, stand_ins):
    """With iot_endpoint and sts_endpoint left null (as against real AWS), the provider resolves its
    endpoints the standard way: here AWS_ENDPOINT_URL, which a real setup would not set."""
    cli = example("iot-device")
    del cli.env["TF_VAR_iot_endpoint"], cli.env["TF_VAR_sts_endpoint"]
    cli.env["AWS_ENDPOINT_URL"] = stand_ins.url
    cli.init()
    assert cli.actions() == {"data.aws_arn.thing": ["read"], **{address: ["create"] for address in (
        "random_id.suffix", "aws_iot_thing.device", "tls_private_key.device", "tls_self_signed_cert.device",
        "aws_iot_certificate.device", "aws_iot_thing_principal_attachment.device", "aws_iot_policy.device",
        "aws_iot_policy_attachment.device")}}
