"""resource "aws_iot_certificate" through both CLIs against moto, checked out of band with boto3.

The four ways to create one, a second plan with no changes, `active` in place, drift, import (CLI,
`import` blocks, -generate-config-out), PEM written another way, a delete refused because a thing and
a policy are still attached, and the bad-input table (test_secrets_in_logs.py scans its TRACE logs).
"""

import datetime
import json
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)

ADDR = "aws_iot_certificate.c"


# --- key material (cryptography) ---------------------------------------------------------------------

def new_key():
    return ec.generate_private_key(ec.SECP256R1())


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def pem(obj):
    return obj.public_bytes(serialization.Encoding.PEM).decode()


def make_csr(key, cn="device"):
    return x509.CertificateSigningRequestBuilder().subject_name(name(cn)).sign(key, hashes.SHA256())


def make_cert(key, cn, issuer_key=None, issuer_cn=None, ca=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(name(issuer_cn or cn))
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30)))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    return b.sign(issuer_key or key, hashes.SHA256())


def same_key(cert_pem, public_key):
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    return cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo) == \
        public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def rewritten(text):
    """The same PEM written another way: CRLF, base64 on one line, blank lines around."""
    lines = text.strip().splitlines()
    return "\r\n\r\n" + "\r\n".join([lines[0], "".join(lines[1:-1]), lines[-1]]) + "\r\n\r\n"


# --- helpers ---------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def no_outside_aws(cli, tmp_path):
    """Every CLI run gets an environment with no AWS_* variable from outside."""
    cli.env = {**cli.env, **aws_env(tmp_path)}


def write(cli, moto, body):
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url) + body)


def cert_block(active=True, **attrs):
    lines = [f"  active = {'true' if active else 'false'}"]
    lines += [f'  {k} = file("${{path.module}}/{v}")' for k, v in attrs.items()]
    return f'resource "aws_iot_certificate" "c" {{\n' + "\n".join(lines) + "\n}\n"


def certs(moto):
    return moto.client("iot").list_certificates()["certificates"]


def describe(moto, cert_id):
    return moto.client("iot").describe_certificate(certificateId=cert_id)["certificateDescription"]


def state_of(cli):
    return cli.resources()[ADDR]


def destroy_leaves_nothing(cli, moto):
    cli.destroy()
    assert cli.state_list() == []
    assert certs(moto) == []


# --- the four ways to create ---------------------------------------------------------------------------

def test_generated_keys_active_in_place(cli, moto, tmp_path):
    write(cli, moto, cert_block(active=True))
    cli.init()
    assert cli.actions() == {ADDR: ["create"]}
    cli.apply()
    s = state_of(cli)
    d = describe(moto, s["id"])
    assert d["status"] == "ACTIVE" and d["certificateArn"] == s["arn"] and s["active"] is True
    assert s["arn"] == f"arn:aws:iot:eu-west-1:123456789012:cert/{s['id']}" and s["region"] == "eu-west-1"
    assert s["certificate_pem"] == d["certificatePem"]
    key = serialization.load_pem_private_key(s["private_key"].encode(), password=None)
    assert same_key(s["certificate_pem"], key.public_key())
    assert serialization.load_pem_public_key(s["public_key"].encode()).public_numbers() == \
        key.public_key().public_numbers()
    assert s["ca_certificate_id"] in (None, "") and s["csr"] is None and s["ca_pem"] is None
    assert cli.plan_exit_code() == 0

    # active toggled in place, both ways; the keys stay.
    for active, status in ((False, "INACTIVE"), (True, "ACTIVE")):
        write(cli, moto, cert_block(active=active))
        assert cli.actions() == {ADDR: ["update"]}
        cli.apply()
        assert describe(moto, s["id"])["status"] == status
        after = state_of(cli)
        assert after["id"] == s["id"] and after["private_key"] == s["private_key"] and after["active"] is active
        assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)


def test_from_csr(cli, moto):
    key = new_key()
    (cli.workdir / "device.csr").write_text(pem(make_csr(key)))
    write(cli, moto, cert_block(active=False, csr="device.csr"))
    cli.init()
    plan = cli.plan_json()
    after = plan["resource_changes"][0]["change"]["after"]
    assert after["private_key"] is None and after["public_key"] is None  # known at plan time
    cli.apply()
    s = state_of(cli)
    # moto answers setAsActive=false with an ACTIVE certificate; the provider sets it right.
    assert describe(moto, s["id"])["status"] == "INACTIVE" and s["active"] is False
    # moto signs a certificate for a key of its own, with the request's subject (AWS uses the request's key).
    issued = x509.load_pem_x509_certificate(s["certificate_pem"].encode())
    assert issued.subject == name("device")
    assert s["private_key"] is None and s["public_key"] is None
    assert s["csr"] == (cli.workdir / "device.csr").read_text()
    assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)


@pytest.mark.parametrize("with_ca", [False, True], ids=["without_ca", "with_ca"])
def test_register(cli, moto, with_ca):
    ca_key, key = new_key(), new_key()
    ca = make_cert(ca_key, "test CA", ca=True)
    cert = make_cert(key, "device", issuer_key=ca_key, issuer_cn="test CA") if with_ca else make_cert(key, "device")
    (cli.workdir / "cert.pem").write_text(pem(cert))
    (cli.workdir / "ca.pem").write_text(pem(ca))
    ca_id = None
    if with_ca:  # RegisterCertificate wants the CA known to AWS IoT first
        ca_id = moto.client("iot").register_ca_certificate(caCertificate=pem(ca), verificationCertificate=pem(cert),
                                                           setAsActive=True)["certificateId"]
    files = {"certificate_pem": "cert.pem", **({"ca_pem": "ca.pem"} if with_ca else {})}
    write(cli, moto, cert_block(active=True, **files))
    cli.init()
    cli.apply()
    s = state_of(cli)
    d = describe(moto, s["id"])
    assert d["status"] == "ACTIVE" and d["certificatePem"] == pem(cert)
    assert s["certificate_pem"] == pem(cert) and s["private_key"] is None and s["public_key"] is None
    # moto's DescribeCertificate has no caCertificateId; ListCertificatesByCA shows the CA it was registered with.
    assert s["ca_certificate_id"] == d.get("caCertificateId")
    if with_ca:
        by_ca = moto.client("iot").list_certificates_by_ca(caCertificateId=ca_id)["certificates"]
        assert [c["certificateId"] for c in by_ca] == [s["id"]]
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert cli.state_list() == [] and certs(moto) == []
    if with_ca:
        moto.client("iot").update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE")
        moto.client("iot").delete_ca_certificate(certificateId=ca_id)


@pytest.mark.parametrize("with_ca", [False, True], ids=["without_ca", "with_ca"])
def test_register_adopts_the_same_certificate_already_registered(cli, moto, with_ca):
    """An apply killed after AWS registered the certificate but before the state recorded it: the next
    apply registers it again, AWS answers ResourceAlreadyExistsException naming it, and it is adopted
    (with a warning), set to the planned status; one certificate, then nothing after destroy."""
    iot = moto.client("iot")
    ca_key, key = new_key(), new_key()
    ca = make_cert(ca_key, "test CA", ca=True)
    cert = pem(make_cert(key, "device", issuer_key=ca_key, issuer_cn="test CA") if with_ca
               else make_cert(key, "device"))
    (cli.workdir / "cert.pem").write_text(cert)
    (cli.workdir / "ca.pem").write_text(pem(ca))
    ca_id = None
    if with_ca:
        ca_id = iot.register_ca_certificate(caCertificate=pem(ca), verificationCertificate=cert,
                                            setAsActive=True)["certificateId"]
        cid = iot.register_certificate(certificatePem=cert, caCertificatePem=pem(ca),
                                       status="INACTIVE")["certificateId"]
    else:
        cid = iot.register_certificate_without_ca(certificatePem=cert, status="INACTIVE")["certificateId"]
    files = {"certificate_pem": "cert.pem", **({"ca_pem": "ca.pem"} if with_ca else {})}
    write(cli, moto, cert_block(active=True, **files))
    cli.init()
    r = cli.apply()
    text = " ".join(r.output.split())
    assert "Existing certificate adopted" in text and cid in text, text
    assert "ResourceAlreadyExistsException" in text
    assert state_of(cli)["id"] == cid and [c["certificateId"] for c in certs(moto)] == [cid]
    assert describe(moto, cid)["status"] == "ACTIVE"
    assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)
    if with_ca:
        iot.update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE")
        iot.delete_ca_certificate(certificateId=ca_id)


def test_generated_keys_are_never_adopted(cli, moto):
    """CreateKeysAndCertificate makes a new certificate every time: one made out of band stays apart."""
    other = moto.client("iot").create_keys_and_certificate(setAsActive=False)["certificateId"]
    write(cli, moto, cert_block(active=True))
    cli.init()
    cli.apply()
    assert state_of(cli)["id"] != other and len(certs(moto)) == 2
    cli.destroy()
    assert [c["certificateId"] for c in certs(moto)] == [other]
    moto.client("iot").delete_certificate(certificateId=other)


# --- drift ------------------------------------------------------------------------------------------------

def test_deleted_out_of_band_is_created_again(cli, moto):
    write(cli, moto, cert_block(active=True))
    cli.init()
    cli.apply()
    old = state_of(cli)["id"]
    iot = moto.client("iot")
    iot.update_certificate(certificateId=old, newStatus="INACTIVE")
    iot.delete_certificate(certificateId=old)
    assert cli.actions() == {ADDR: ["create"]}
    cli.apply()
    new = state_of(cli)["id"]
    assert new != old and [c["certificateId"] for c in certs(moto)] == [new]
    assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)


def test_status_changed_out_of_band_is_planned_back(cli, moto):
    write(cli, moto, cert_block(active=True))
    cli.init()
    cli.apply()
    cid = state_of(cli)["id"]
    moto.client("iot").update_certificate(certificateId=cid, newStatus="INACTIVE")
    assert cli.actions() == {ADDR: ["update"]}
    cli.apply()
    assert describe(moto, cid)["status"] == "ACTIVE"
    destroy_leaves_nothing(cli, moto)


def test_update_of_a_certificate_deleted_meanwhile_is_an_error(cli, moto):
    """Without a refresh the plan still shows the certificate; the update says it is gone."""
    write(cli, moto, cert_block(active=True))
    cli.init()
    cli.apply()
    cid = state_of(cli)["id"]
    iot = moto.client("iot")
    iot.update_certificate(certificateId=cid, newStatus="INACTIVE")
    iot.delete_certificate(certificateId=cid)
    write(cli, moto, cert_block(active=False))
    r = cli.apply("-refresh=false", check=False)
    assert r.rc != 0 and "Certificate not found" in r.output and cid in " ".join(r.output.split())
    assert cli.actions() == {ADDR: ["create"]}  # with a refresh: planned for creation
    cli.destroy()
    assert certs(moto) == []


# --- import ------------------------------------------------------------------------------------------------

def made_out_of_band(moto, kind, tmp_path):
    """A certificate made with boto3: `keys` (CreateKeysAndCertificate) or `csr` (with the CSR file)."""
    iot = moto.client("iot")
    if kind == "keys":
        return iot.create_keys_and_certificate(setAsActive=True)["certificateId"]
    csr = pem(make_csr(new_key()))
    (tmp_path / "device.csr").write_text(csr)
    return iot.create_certificate_from_csr(certificateSigningRequest=csr, setAsActive=True)["certificateId"]


@pytest.mark.parametrize("kind", ["keys", "csr"])
def test_import_cli(cli, moto, kind):
    cid = made_out_of_band(moto, kind, cli.workdir)
    write(cli, moto, cert_block(active=True))
    cli.init()
    cli.import_(ADDR, cid)
    s = state_of(cli)
    d = describe(moto, cid)
    assert s["id"] == cid and s["arn"] == d["certificateArn"] and s["certificate_pem"] == d["certificatePem"]
    assert s["private_key"] is None and s["public_key"] is None and s["region"] == "eu-west-1"
    assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)


def test_import_then_configured_csr_is_recorded_not_replaced(cli, moto):
    """An imported certificate whose configuration names the request it carries the key of: updated in
    place, state only.  A request for another key means another certificate.

    moto's CreateCertificateFromCsr ignores the request's key, so the certificate AWS would issue for the
    request is registered here with boto3 (the provider reads it the same way)."""
    iot = moto.client("iot")
    key = new_key()
    cert = pem(make_cert(key, "device"))
    (cli.workdir / "device.csr").write_text(pem(make_csr(key)))
    cid = iot.register_certificate_without_ca(certificatePem=cert, status="ACTIVE")["certificateId"]
    write(cli, moto, cert_block(active=True, csr="device.csr"))
    cli.init()
    cli.import_(ADDR, cid)
    assert cli.actions() == {ADDR: ["update"]}
    cli.apply()
    s = state_of(cli)
    assert s["id"] == cid and s["csr"] == (cli.workdir / "device.csr").read_text()
    assert [c["certificateId"] for c in certs(moto)] == [cid]
    assert cli.plan_exit_code() == 0

    (cli.workdir / "device.csr").write_text(pem(make_csr(new_key())))
    assert cli.actions() == {ADDR: ["delete", "create"]}
    destroy_leaves_nothing(cli, moto)


def test_import_then_ca_pem_registers_anew_with_the_ca(cli, moto):
    """A certificate registered without a CA, imported with a configuration that adds the CA that signed
    it: registered again, this time with the CA (AWS reports no CA for it, so nothing is recorded)."""
    iot = moto.client("iot")
    ca_key = new_key()
    ca = make_cert(ca_key, "test CA", ca=True)
    cert = pem(make_cert(new_key(), "device", issuer_key=ca_key, issuer_cn="test CA"))
    (cli.workdir / "ca.pem").write_text(pem(ca))
    (cli.workdir / "cert.pem").write_text(cert)
    ca_id = iot.register_ca_certificate(caCertificate=pem(ca), verificationCertificate=cert,
                                        setAsActive=True)["certificateId"]
    cid = iot.register_certificate_without_ca(certificatePem=cert, status="ACTIVE")["certificateId"]
    write(cli, moto, cert_block(active=True, certificate_pem="cert.pem", ca_pem="ca.pem"))
    cli.init()
    cli.import_(ADDR, cid)
    assert cli.actions() == {ADDR: ["delete", "create"]}
    cli.apply()
    by_ca = iot.list_certificates_by_ca(caCertificateId=ca_id)["certificates"]
    assert [c["certificateId"] for c in by_ca] == [state_of(cli)["id"]]
    assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)
    iot.update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE")
    iot.delete_ca_certificate(certificateId=ca_id)


def test_import_with_unrelated_material_is_replaced(cli, moto):
    """A configured CA that did not sign the imported certificate: a new certificate is planned."""
    cert = pem(make_cert(new_key(), "device"))
    cid = moto.client("iot").register_certificate_without_ca(certificatePem=cert, status="ACTIVE")["certificateId"]
    (cli.workdir / "cert.pem").write_text(cert)
    (cli.workdir / "ca.pem").write_text(pem(make_cert(new_key(), "unrelated CA", ca=True)))
    write(cli, moto, cert_block(active=True, certificate_pem="cert.pem", ca_pem="ca.pem"))
    cli.init()
    cli.import_(ADDR, cid)
    assert cli.actions() == {ADDR: ["delete", "create"]}
    cli.destroy()
    assert certs(moto) == []


@pytest.mark.parametrize("kind", ["keys", "csr"])
def test_import_block_and_generated_config(cli, moto, kind):
    cid = made_out_of_band(moto, kind, cli.workdir)
    write(cli, moto, f'import {{\n  to = {ADDR}\n  id = "{cid}"\n}}\n')
    cli.init()
    cli.plan("-generate-config-out=generated.tf")
    generated = (cli.workdir / "generated.tf").read_text()
    assert 'resource "aws_iot_certificate" "c"' in generated and "active" in generated
    plan = cli.plan_json()
    (change,) = plan["resource_changes"]
    assert change["change"]["actions"] == ["no-op"] and change["change"]["importing"]["id"] == cid
    cli.apply()
    assert state_of(cli)["id"] == cid
    assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)


def test_pem_written_another_way_is_the_same(cli, moto):
    """AWS holds the certificate with CRLF and one base64 line; the configuration has it wrapped with LF."""
    cert = pem(make_cert(new_key(), "device"))
    cid = moto.client("iot").register_certificate_without_ca(certificatePem=rewritten(cert),
                                                             status="ACTIVE")["certificateId"]
    (cli.workdir / "cert.pem").write_text(cert)
    write(cli, moto, f'import {{\n  to = {ADDR}\n  id = "{cid}"\n}}\n' + cert_block(active=True, certificate_pem="cert.pem"))
    cli.init()
    (change,) = cli.plan_json()["resource_changes"]
    assert change["change"]["actions"] == ["no-op"], change
    cli.apply()
    assert cli.plan_exit_code() == 0
    assert state_of(cli)["certificate_pem"] == rewritten(cert)  # the prior string is kept
    destroy_leaves_nothing(cli, moto)


def test_import_rejects_bad_id(cli, moto):
    write(cli, moto, cert_block(active=True))
    cli.init()
    r = cli.import_(ADDR, "not-a-certificate-id", check=False)
    assert r.rc != 0 and "64 hexadecimal characters" in " ".join(r.output.split())
    r = cli.import_(ADDR, "ab" * 32, check=False)
    assert r.rc != 0 and "non-existent" in r.output.replace("\n", " ").lower()


# --- delete refused ------------------------------------------------------------------------------------------

def test_delete_refused_while_a_thing_and_a_policy_are_attached(cli, moto):
    write(cli, moto, cert_block(active=True))
    cli.init()
    cli.apply()
    s = state_of(cli)
    iot = moto.client("iot")
    iot.create_thing(thingName="outside-thing")
    iot.attach_thing_principal(thingName="outside-thing", principal=s["arn"])
    iot.create_policy(policyName="outside-policy", policyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}))
    iot.attach_policy(policyName="outside-policy", target=s["arn"])
    r = cli.destroy(check=False)
    text = " ".join(r.output.split())
    assert r.rc != 0 and "Certificate still attached" in text, r.output
    assert '"outside-thing"' in text and '"outside-policy"' in text and s["id"] in text
    assert "left INACTIVE" in text and "DeleteConflictException" in text
    assert describe(moto, s["id"])["status"] == "INACTIVE"
    assert cli.state_list() == [ADDR]

    iot.detach_thing_principal(thingName="outside-thing", principal=s["arn"])
    iot.detach_policy(policyName="outside-policy", target=s["arn"])
    iot.delete_thing(thingName="outside-thing")
    iot.delete_policy(policyName="outside-policy")
    destroy_leaves_nothing(cli, moto)


# --- bad input -------------------------------------------------------------------------------------------------

GARBAGE_CERT = "-----BEGIN CERTIFICATE-----\\nbm90IGEgY2VydGlmaWNhdGU=\\n-----END CERTIFICATE-----\\n"

BAD = [
    ('csr = "garbage"', "csr", "Invalid certificate signing request"),
    ('certificate_pem = "garbage"', "certificate_pem", "Invalid certificate"),
    (f'certificate_pem = "{GARBAGE_CERT}"', "certificate_pem", "Invalid certificate"),
    ('certificate_pem = file("${path.module}/device.csr")', "certificate_pem", "Invalid certificate"),
    ('csr = file("${path.module}/cert.pem")', "csr", "Invalid certificate signing request"),
    ('certificate_pem = file("${path.module}/cert.pem")\n  ca_pem = "garbage"', "ca_pem", "Invalid certificate"),
    ('csr = file("${path.module}/device.csr")\n  certificate_pem = file("${path.module}/cert.pem")', "csr",
     "Conflicting attributes"),
]


@pytest.mark.parametrize("args,attr,summary", BAD,
                         ids=["csr_garbage", "cert_garbage", "cert_bad_base64", "cert_is_csr", "csr_is_cert",
                              "ca_garbage", "csr_and_cert"])
def test_bad_input_is_a_plan_error(cli, moto, args, attr, summary):
    key = new_key()
    (cli.workdir / "device.csr").write_text(pem(make_csr(key)))
    (cli.workdir / "cert.pem").write_text(pem(make_cert(key, "device")))
    write(cli, moto, f'resource "aws_iot_certificate" "c" {{\n  active = true\n  {args}\n}}\n')
    cli.init()
    r = cli.plan(check=False)
    assert r.rc == 1 and f"Error: {summary}" in r.stderr, r.output
    # The diagnostic points at the attribute's line in main.tf.
    assert re.search(rf"\d+:\s+{attr}\s+=", r.stderr), r.stderr
    assert certs(moto) == []


def test_ca_pem_without_certificate_is_a_warning(cli, moto):
    (cli.workdir / "ca.pem").write_text(pem(make_cert(new_key(), "CA", ca=True)))
    write(cli, moto, cert_block(active=True, ca_pem="ca.pem"))
    cli.init()
    r = cli.plan()
    assert "Warning: Argument has no effect" in r.output and re.search(r"\d+:\s+ca_pem\s+=", r.output)


# --- the example ---------------------------------------------------------------------------------------------

def test_example_with_this_repos_tls_provider(cli, moto):
    """examples/resources/aws_iot_certificate: a CSR from tls_cert_request, and generated keys."""
    from pathlib import Path

    from conftest import required_providers
    example = (Path(__file__).resolve().parents[2] / "examples/resources/aws_iot_certificate/resource.tf").read_text()
    cli.write_tf(required_providers("aws", "tls") + provider_block(endpoint=moto.url) + example)
    cli.init()
    cli.apply()
    res = cli.resources()
    device, generated = res["aws_iot_certificate.device"], res["aws_iot_certificate.generated"]
    issued = x509.load_pem_x509_certificate(describe(moto, device["id"])["certificatePem"].encode())
    assert issued.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "sensor-0001"
    assert device["private_key"] is None and generated["private_key"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert cli.outputs()["certificate_arn"] == device["arn"]
    assert cli.plan_exit_code() == 0
    destroy_leaves_nothing(cli, moto)


def test_region_per_resource(cli, moto):
    """v6's `region`: the certificate is made there; changing it makes a new one there."""
    import boto3
    from aws_fixtures import FAKE_KEYS

    def certs_in(region):
        return boto3.client("iot", endpoint_url=moto.url, region_name=region, aws_access_key_id=FAKE_KEYS["access_key"],
                            aws_secret_access_key=FAKE_KEYS["secret_key"]).list_certificates()["certificates"]

    write(cli, moto, cert_block(active=True).replace("active = true", 'active = true\n  region = "us-east-2"'))
    cli.init()
    cli.apply()
    s = state_of(cli)
    assert s["region"] == "us-east-2" and ":us-east-2:" in s["arn"]
    assert [c["certificateId"] for c in certs_in("us-east-2")] == [s["id"]] and certs(moto) == []
    assert cli.plan_exit_code() == 0
    write(cli, moto, cert_block(active=True))
    assert cli.actions() == {ADDR: ["delete", "create"]}
    cli.apply()
    assert certs_in("us-east-2") == [] and [c["certificateId"] for c in certs(moto)] == [state_of(cli)["id"]]
    destroy_leaves_nothing(cli, moto)


def test_delete_waits_for_a_detachment_in_flight(cli, moto):
    """A thing detached while the delete is already refused (another apply destroying it in parallel):
    the DeleteConflict is retried briefly and the delete succeeds."""
    import threading
    import time

    write(cli, moto, cert_block(active=True))
    cli.init()
    cli.apply()
    arn = state_of(cli)["arn"]
    iot = moto.client("iot")
    iot.create_thing(thingName="leaving")
    iot.attach_thing_principal(thingName="leaving", principal=arn)
    seen_inactive = threading.Event()

    def detach_once_refused():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if describe(moto, state_of_id)["status"] == "INACTIVE":  # the delete has begun
                seen_inactive.set()
                time.sleep(1)
                iot.detach_thing_principal(thingName="leaving", principal=arn)
                return
            time.sleep(0.1)

    state_of_id = arn.rsplit("/", 1)[1]
    t = threading.Thread(target=detach_once_refused)
    t.start()
    log = cli.workdir / "debug.log"
    cli.destroy(env={"TF_LOG_PROVIDER": "debug", "TF_LOG_PATH": str(log)})
    t.join()
    assert seen_inactive.is_set() and certs(moto) == [] and cli.state_list() == []
    assert "retrying AWS IoT call" in log.read_text() and "DeleteConflictException" in log.read_text()


def test_destroy_without_refresh_deactivates_what_was_activated_out_of_band(cli, moto):
    write(cli, moto, cert_block(active=False))
    cli.init()
    cli.apply()
    moto.client("iot").update_certificate(certificateId=state_of(cli)["id"], newStatus="ACTIVE")
    cli.destroy("-refresh=false")
    assert certs(moto) == [] and cli.state_list() == []
