"""aws_iot_certificate under valgrind (tofu) and ASan/UBSan (terraform) against moto: the four ways to
create, an update in place, an import block, a delete refused while a thing is attached, then destroy."""

import pytest

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)
from memcheck import TOOLS, assert_clean, checked_cli
from test_aws_iot_certificate import make_cert, make_csr, new_key, pem


def config(url, active, import_id):
    files = {"csr": 'csr = file("${path.module}/device.csr")',
             "own": 'certificate_pem = file("${path.module}/cert.pem")',
             "ca": 'certificate_pem = file("${path.module}/signed.pem")\n  ca_pem = file("${path.module}/ca.pem")',
             "keys": ""}
    body = "".join(f'resource "aws_iot_certificate" "{k}" {{\n  active = {active}\n  {v}\n}}\n' for k, v in files.items())
    body += f'import {{\n  to = aws_iot_certificate.imported\n  id = "{import_id}"\n}}\n'
    body += 'resource "aws_iot_certificate" "imported" {\n  active = true\n}\n'
    return PROVIDER + provider_block(endpoint=url) + body


@pytest.mark.parametrize("tool,name", TOOLS)
def test_certificate_is_clean(tool, name, moto, tmp_path):
    cli = checked_cli(tmp_path, "aws", tool, name, **aws_env(tmp_path))
    iot = moto.client("iot")
    ca_key, key = new_key(), new_key()
    ca = make_cert(ca_key, "test CA", ca=True)
    signed = pem(make_cert(new_key(), "signed", issuer_key=ca_key, issuer_cn="test CA"))
    for file, text in {"device.csr": pem(make_csr(key)), "cert.pem": pem(make_cert(key, "own")),
                       "ca.pem": pem(ca), "signed.pem": signed}.items():
        (cli.workdir / file).write_text(text)
    ca_id = iot.register_ca_certificate(caCertificate=pem(ca), verificationCertificate=signed,
                                        setAsActive=True)["certificateId"]
    imported = iot.create_keys_and_certificate(setAsActive=True)["certificateId"]

    cli.write_tf(config(moto.url, "true", imported))
    cli.apply()
    cli.write_tf(config(moto.url, "false", imported))
    cli.apply()
    arn = cli.resources()["aws_iot_certificate.keys"]["arn"]
    iot.create_thing(thingName="outside")
    iot.attach_thing_principal(thingName="outside", principal=arn)
    r = cli.destroy(check=False)
    assert r.rc != 0 and '"outside"' in r.output
    iot.detach_thing_principal(thingName="outside", principal=arn)
    cli.destroy()
    assert [c["certificateId"] for c in iot.list_certificates()["certificates"]] == []
    iot.update_ca_certificate(certificateId=ca_id, newStatus="INACTIVE")
    iot.delete_ca_certificate(certificateId=ca_id)
    assert_clean(tmp_path, tool, min_runs=3)
