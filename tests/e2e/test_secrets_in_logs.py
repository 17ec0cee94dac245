"""No secret in TRACE logs: every resource, data source and ephemeral resource of every provider.

Each provider gets one configuration that uses all its types with secrets in them: some planted (fixed AWS
secret keys and session tokens in the provider block and in the environment, a proxy password, an
Authorization header, a URL password, a client key) and some made by the providers (private keys,
passwords, random bytes, a certificate's private key).  init, apply, a second plan and destroy run with
TF_LOG=trace into TF_LOG_PATH, which gets both the CLI's own log and the provider's; that file and the
CLI's output are then searched for every secret in every form a leak could take (see `leaks`).
"""

import base64
import json
import re

import pytest

from aws_fixtures import PROVIDER as AWS, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)
from conftest import required_providers
from http_servers import Pki, Server
from test_ephemeral import sink, written

GRAM = 20  # a leaked run of 2 * GRAM - 1 characters or more of a secret's text is found
PEM = re.compile(r"-----BEGIN [A-Z ]+-----(.*?)-----END [A-Z ]+-----", re.S)

PLANTED = {
    "aws block secret key": "PlantedBlockSecretKey/0123456789abcdefXYZ",
    "aws block session token": "IQoJPlantedBlockSessionToken//wEaCWV1LXdlc3QtMSJHMEUCIQD0123456789abcdefABCDEF+plantedtail",
    "aws env secret key": "PlantedEnvSecretKey/9876543210fedcbaZYXWV",
    "aws env session token": "FwoGPlantedEnvSessionToken//yEaDGFwLXNvdXRoLTEiRjBEAiA9876543210fedcbaFEDCBA+plantedtail",
    "tls proxy password": "PlantedProxyPassword-3f9c2a7d51e8b640",
    "http authorization": "Bearer PlantedBearerToken.eyJzdWIiOiJ0aGluZ2Zvcm0ifQ.c2lnbmF0dXJl",
    "http url password": "PlantedUrlPassword7c1e5a",
}


# The first bytes of a key's DER are its structure, not its secret: for PKCS#8 RSA, the sequence, version,
# algorithm identifier and the headers down to the modulus's leading zero take 38 bytes, and two keys of
# one size often have the same lengths in them.  39 bytes are 52 base64 characters, a whole number of groups.
DER_PREFIX = 39


def forms(secret):
    """The texts a leak of `secret` could show: itself (line breaks dropped), base64 and hex of it, and of a
    PEM text its body and the body's DER in hex.  A PEM text's forms leave out their start (the header and
    the DER's first DER_PREFIX bytes) and end (the footer), which are the same in every key of one kind and size."""
    raw = secret.encode()
    whole = [secret.replace("\n", ""), base64.b64encode(raw).decode(), raw.hex(), raw.hex().upper()]
    m = PEM.search(secret)
    if not m:
        return whole
    prefix = DER_PREFIX * 4 // 3
    start, end = (m.start(1) + 1 + prefix) / len(secret), m.end(1) / len(secret)
    body = "".join(m.group(1).split())
    der = base64.b64decode(body)[DER_PREFIX:].hex()
    return [f[int(len(f) * start) + 4:int(len(f) * end) - 4] for f in whole] + [body[prefix:], der, der.upper()]


def normalized(text):
    """Log text as one line: JSON and Go escapes of newlines and slashes undone, line breaks dropped."""
    return text.replace("\\r", "").replace("\\n", "").replace("\\/", "/").replace("\r", "").replace("\n", "")


def leaks(text, secrets, public):
    """{name: a leaked piece} for each secret of which `text` holds a whole short form or any GRAM-long
    piece of a long form that is not also part of a public value (a public key shares bytes with its
    private key, a PEM header is no secret)."""
    flat = normalized(text)
    public_grams = {p[i:i + GRAM] for p in map(normalized, public) for i in range(len(p) - GRAM + 1)}
    found = {}
    for name, secret in secrets.items():
        for form in forms(secret):
            if len(form) < 3 * GRAM:
                if form in flat:
                    found[name] = form
                continue
            grams = {form[i:i + GRAM] for i in range(len(form) - GRAM + 1)} - public_grams
            hit = next((flat[i:i + GRAM] for i in range(0, len(flat) - GRAM + 1, GRAM) if flat[i:i + GRAM] in grams),
                       None)
            if hit:
                found[name] = hit
    return found


def test_scan_finds_each_form():
    """The scan itself: every form of a leak is found, a public key that shares bytes with its private key is not."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    secrets = {"key": private, "token": PLANTED["aws env session token"]}
    middle = "".join(private.splitlines()[5:7])
    for text in (private.splitlines()[3], json.dumps(private), middle[17:17 + 2 * GRAM - 1], der[100:160].hex(),
                 base64.b64encode(private.encode()).decode()[300:360], json.dumps({"v": private})):
        assert set(leaks(f"[DEBUG] provider: x={text} y=1\n", secrets, [public])) == {"key"}, text
    for text in (PLANTED["aws env session token"], base64.b64encode(secrets["token"].encode()).decode()):
        assert set(leaks(f"a={text}", secrets, [public])) == {"token"}
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    assert leaks(f"{json.dumps(public)} {other} {secrets['token'][:GRAM]}", secrets, [public]) == {}


def strings_in(values, sensitive):
    """Every string leaf of a `show -json` values object, split by the sensitive_values mask."""
    secret, public = [], []
    if isinstance(values, dict):
        for k, v in values.items():
            s, p = strings_in(v, sensitive.get(k, False) if isinstance(sensitive, dict) else sensitive)
            secret, public = secret + s, public + p
    elif isinstance(values, list):
        for i, v in enumerate(values):
            s, p = strings_in(v, sensitive[i] if isinstance(sensitive, list) and i < len(sensitive) else sensitive)
            secret, public = secret + s, public + p
    elif isinstance(values, str):
        (secret if sensitive is True else public).append(values)
    return secret, public


def run_traced(cli, tmp_path, secrets, extra_env=None, public_sinks=(), shown=()):
    """init, apply, plan, destroy with TRACE logs; the state's sensitive strings and the values the sink
    wrote (but `public_sinks`) join `secrets`.  Asserts no leak in the log, nor in the CLI's output but
    for the secrets named in `shown`; returns the number of log lines scanned."""
    log = tmp_path / f"trace-{cli.name}.log"
    env = {"TF_LOG": "trace", "TF_LOG_PATH": str(log), **(extra_env or {})}
    out = [cli.init(env=env).output, cli.apply(env=env).output]
    public = []
    for r in cli.state()["values"]["root_module"]["resources"]:
        s, p = strings_in(r["values"], r.get("sensitive_values", {}))
        secrets.update({f"{r['address']} sensitive #{i}": v for i, v in enumerate(s) if len(v) >= 8})
        public += p
    if (cli.workdir / "out").is_dir():
        for k, v in written(cli).items():
            (public.append(v) if k in public_sinks else secrets.update({f"ephemeral {k}": v}))
    out += [cli.plan(env=env).output, cli.destroy(env=env).output]
    text = log.read_text()
    assert "provider" in text and "@module" in text, "the provider's own log is missing"
    assert all(len(v) >= 8 for v in secrets.values()), "a secret too short to look for"
    assert leaks(text, secrets, public) == {}
    assert leaks("".join(out), {k: v for k, v in secrets.items() if k not in shown}, public) == {}
    return text.count("\n")


RANDOM = required_providers("random") + """
resource "random_password" "p" {
  length  = 40
  special = true
}
resource "random_string" "s" {
  length = 12
}
resource "random_bytes" "b" {
  length = 48
}
resource "random_id" "i" {
  byte_length = 8
}
resource "random_integer" "n" {
  min = 1
  max = 9
}
resource "random_pet" "pet" {}
resource "random_shuffle" "sh" {
  input = ["a", "b"]
}
resource "random_uuid" "u" {}
resource "random_uuid4" "u4" {}
resource "random_uuid7" "u7" {}
ephemeral "random_password" "p" {
  length = 40
}
ephemeral "random_bytes" "b" {
  length = 48
}
"""


def test_random(cli, tmp_path):
    cli.write_tf(RANDOM + sink({"P": "ephemeral.random_password.p.result", "H": "ephemeral.random_password.p.bcrypt_hash",
                                "B": "ephemeral.random_bytes.b.base64", "X": "ephemeral.random_bytes.b.hex"}))
    secrets = {}
    assert run_traced(cli, tmp_path, secrets) > 1000
    assert len(secrets) >= 8  # password, its hash, the bytes twice, and the ephemeral four


def tls_config(password):
    keys = {"rsa": 'algorithm = "RSA"\n  rsa_bits = 2048', "ec": 'algorithm = "ECDSA"', "ed": 'algorithm = "ED25519"'}
    tf = required_providers("tls") + (
        f'provider "tls" {{\n  proxy {{\n    url      = "http://127.0.0.1:1"\n    username = "u"\n'
        f'    password = "{password}"\n  }}\n}}\n')
    tf += "".join(f'resource "tls_private_key" "{k}" {{\n  {v}\n}}\n' for k, v in keys.items())
    return tf + """
resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.rsa.private_key_pem
  validity_period_hours = 1
  is_ca_certificate     = true
  allowed_uses          = ["cert_signing"]
  subject {
    common_name = "ca"
  }
}
resource "tls_cert_request" "leaf" {
  private_key_pem = tls_private_key.ec.private_key_pem
  subject {
    common_name = "leaf"
  }
}
resource "tls_locally_signed_cert" "leaf" {
  cert_request_pem      = tls_cert_request.leaf.cert_request_pem
  ca_private_key_pem    = tls_private_key.rsa.private_key_pem
  ca_cert_pem           = tls_self_signed_cert.ca.cert_pem
  validity_period_hours = 1
  allowed_uses          = ["server_auth"]
}
data "tls_public_key" "ed" {
  private_key_openssh = tls_private_key.ed.private_key_openssh
}
data "tls_certificate" "ca" {
  content = tls_self_signed_cert.ca.cert_pem
}
ephemeral "tls_private_key" "e" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}
ephemeral "tls_public_key" "e" {
  private_key_pem = ephemeral.tls_private_key.e.private_key_pem
}
"""


def test_tls(cli, tmp_path):
    password = PLANTED["tls proxy password"]
    cli.write_tf(tls_config(password) + sink({
        "PEM": "ephemeral.tls_private_key.e.private_key_pem", "PKCS8": "ephemeral.tls_private_key.e.private_key_pem_pkcs8",
        "SSH": "ephemeral.tls_private_key.e.private_key_openssh",
        "PUB": "ephemeral.tls_public_key.e.public_key_openssh", "PUBPEM": "ephemeral.tls_public_key.e.public_key_pem"}))
    secrets = {"tls proxy password": password}
    assert run_traced(cli, tmp_path, secrets, public_sinks={"PUB", "PUBPEM"}) > 1000
    assert sum("PRIVATE KEY" in s for s in secrets.values()) >= 9 + 2  # 3 keys x 3 forms, the ephemeral key's


@pytest.fixture(scope="module")
def mtls():
    pki = Pki()
    s = Server(pki.server_context(require_client_cert=True))
    yield s, pki
    s.close()


def test_http(cli, tmp_path, mtls):
    server, pki = mtls
    for file, text in {"ca.pem": pki.ca_pem, "client.pem": pki.client_pem, "client.key": pki.client_key_pem}.items():
        (cli.workdir / file).write_text(text)
    path = f"/flaky/secrets-{cli.name}/1/503"
    flaky = server.url(path, userinfo=f"user:{PLANTED['http url password']}@")
    cli.write_tf(required_providers("http") + f"""
data "http" "h" {{
  url             = "{flaky}"
  method          = "POST"
  request_body    = "x"
  request_headers = {{ Authorization = "{PLANTED['http authorization']}" }}
  ca_cert_pem     = file("ca.pem")
  client_cert_pem = file("client.pem")
  client_key_pem  = file("client.key")
  retry {{
    attempts     = 2
    min_delay_ms = 1
  }}
}}
""")
    secrets = {k: v for k, v in PLANTED.items() if k.startswith("http")}
    secrets["http client key"] = pki.client_key_pem
    # The CLI prints the id, which is the URL as written (as hashicorp/http's is); the log never has it.
    assert run_traced(cli, tmp_path, secrets, shown={"http url password"}) > 300
    assert len(server.seen(path)) >= 2  # a retry was logged


AWS_RESOURCES = """
resource "aws_iot_thing" "t" {
  name = "secret-scan"
}
resource "aws_iot_certificate" "c" {
  active = true
}
resource "aws_iot_thing_principal_attachment" "a" {
  thing     = aws_iot_thing.t.name
  principal = aws_iot_certificate.c.arn
}
resource "aws_iot_policy" "p" {
  name   = "secret-scan"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "iot:Connect", Resource = "*" }] })
}
resource "aws_iot_policy_attachment" "a" {
  policy = aws_iot_policy.p.name
  target = aws_iot_certificate.c.arn
}
data "aws_iot_endpoint" "e" {
  provider      = aws.env
  endpoint_type = "iot:Data-ATS"
}
data "aws_arn" "a" {
  arn = aws_iot_certificate.c.arn
}
"""


def test_aws(cli, tmp_path, moto):
    block = provider_block(endpoint=moto.url, secret_key=PLANTED["aws block secret key"],
                           token=PLANTED["aws block session token"])
    env_provider = provider_block(endpoint=moto.url, keys=False).replace("{\n", '{\n  alias = "env"\n', 1)
    cli.write_tf(AWS + block + env_provider + AWS_RESOURCES)
    env = aws_env(tmp_path, AWS_ACCESS_KEY_ID="AKIAPLANTEDENVKEY000", AWS_SECRET_ACCESS_KEY=PLANTED["aws env secret key"],
                  AWS_SESSION_TOKEN=PLANTED["aws env session token"])
    secrets = {k: v for k, v in PLANTED.items() if k.startswith("aws")}
    assert run_traced(cli, tmp_path, secrets, extra_env=env) > 1000
    assert any("PRIVATE KEY" in s for s in secrets.values()), "the certificate's private key was not scanned for"
