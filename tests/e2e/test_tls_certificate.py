"""data "tls_certificate" and the provider's proxy block through the real CLIs: PEM content, https:// and
tls:// against loopback servers with a private CA, a CONNECT proxy from the block and from HTTPS_PROXY,
and the plan-time errors."""

import base64
import hashlib
import json

import pytest

from conftest import required_providers
from memcheck import TOOLS, assert_clean, checked_cli
from tls_cert_servers import PROXIED_HOST, BareTlsServer, Chain, ConnectProxy, HttpsServer

PROVIDER = required_providers("tls")


@pytest.fixture(scope="module")
def chain():
    return Chain()


@pytest.fixture(scope="module")
def https(chain):
    s = HttpsServer(chain)
    yield s
    s.close()


@pytest.fixture(scope="module")
def bare_tls(chain):
    s = BareTlsServer(chain)
    yield s
    s.close()


@pytest.fixture
def proxy():
    p = ConnectProxy()
    yield p
    p.close()


def data(body, name="c"):
    return f'data "tls_certificate" "{name}" {{\n{body}\n}}\n'


def read(cli, tf, env=None):
    """init + apply; the data source's values from the state, and a second plan that must be empty."""
    cli.write_tf(PROVIDER + tf)
    cli.init()
    cli.apply(env=env)
    state = cli.state()["values"]["root_module"]["resources"]
    assert cli.run("plan", "-detailed-exitcode", env=env, check=False).rc == 0, "second plan shows changes"
    return {r["address"]: r["values"] for r in state}


def sha1(cert):
    from cryptography.hazmat.primitives import serialization
    return hashlib.sha1(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def pem(cert):
    from cryptography.hazmat.primitives import serialization
    return cert.public_bytes(serialization.Encoding.PEM).decode()


ROOT_NAME = "CN=Thingform Root CA,O=Example\\, Inc,C=US"
INTER_NAME = "CN=Thingform Issuing CA,OU=Devices,O=Example\\, Inc,1.2.840.113549.1.9.1=#0c0f706b69406578616d706c652e636f6d"


def check_chain(chain, certs):
    """The server's chain as upstream lists it: root first, leaf last; every field in Go's format."""
    assert [c["sha1_fingerprint"] for c in certs] == [sha1(c) for c in (chain.root, chain.inter, chain.server)]
    root, inter, leaf = certs
    assert (root["subject"], root["issuer"]) == (ROOT_NAME, ROOT_NAME)
    assert (inter["subject"], inter["issuer"]) == (INTER_NAME, ROOT_NAME)
    assert (leaf["subject"], leaf["issuer"]) == ("CN=127.0.0.1", INTER_NAME)
    assert [c["signature_algorithm"] for c in certs] == ["SHA256-RSA", "SHA256-RSA", "ECDSA-SHA384"]
    assert [c["public_key_algorithm"] for c in certs] == ["RSA", "ECDSA", "ECDSA"]
    assert [c["serial_number"] for c in certs] == ["1001", "2002", str(0x1234567890ABCDEF1234)]
    assert [c["is_ca"] for c in certs] == [True, True, False]
    assert [c["max_path_length"] for c in certs] == [-1, 0, -1]
    assert [c["version"] for c in certs] == [3, 3, 3]
    assert leaf["not_before"] == chain.server.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert leaf["not_after"] == chain.server.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [c["cert_pem"] for c in certs] == [pem(c) for c in (chain.root, chain.inter, chain.server)]


def test_content_reads_the_first_block(cli, chain):
    """As upstream, content yields its first PEM block (the leaf of a leaf-first chain) only."""
    values = read(cli, data('  content = <<EOT\n' + chain.pem + 'EOT'))["data.tls_certificate.c"]
    (leaf,) = values["certificates"]
    assert leaf["sha1_fingerprint"] == sha1(chain.server)
    assert (leaf["subject"], leaf["issuer"]) == ("CN=127.0.0.1", INTER_NAME)
    assert leaf["cert_pem"] == pem(chain.server)
    assert values["verify_chain"] is True  # upstream writes the effective default
    assert len(values["id"]) == 40
    # the root alone
    values = read(cli.fresh("root"), data(f'  content = file("{chain.root_file}")'))["data.tls_certificate.c"]
    assert [c["subject"] for c in values["certificates"]] == [ROOT_NAME]
    assert values["certificates"][0]["is_ca"] is True


def test_https_private_ca(cli, chain, https):
    url = f"https://127.0.0.1:{https.port}/plain"
    values = read(cli, data(f'  url = "{url}"\n  verify_chain = false'))["data.tls_certificate.c"]
    check_chain(chain, values["certificates"])
    assert values["verify_chain"] is False

    # verify_chain defaults to true: the private root is not trusted
    bad = cli.fresh("verify")
    bad.write_tf(PROVIDER + data(f'  url = "{url}"'))
    bad.init()
    r = bad.plan(check=False)
    assert r.rc != 0
    assert "Failed to fetch the peer certificates" in r.output
    assert "verify_chain = false" in r.output
    assert "certificate" in r.output  # OpenSSL's reason (unable to get local issuer certificate)

    # ... and is trusted once SSL_CERT_FILE names it, as Go's roots would be
    good = cli.fresh("trusted")
    values = read(good, data(f'  url = "{url}"'), env={"SSL_CERT_FILE": chain.root_file})
    check_chain(chain, values["data.tls_certificate.c"]["certificates"])


def test_tls_scheme(cli, chain, bare_tls, proxy):
    """tls:// is a bare handshake (no HTTP) and never uses the proxy, not even the block's."""
    tf = ('provider "tls" {\n  proxy {\n    url = "%s"\n  }\n}\n' % proxy.url +
          data(f'  url = "tls://127.0.0.1:{bare_tls.port}"\n  verify_chain = false') +
          data(f'  url = "tls://127.0.0.1:{bare_tls.port}"', name="verified"))
    values = read(cli, tf, env={"SSL_CERT_FILE": chain.root_file})
    check_chain(chain, values["data.tls_certificate.c"]["certificates"])
    check_chain(chain, values["data.tls_certificate.verified"]["certificates"])
    assert proxy.connects == []
    assert bare_tls.handshakes > 0


def test_proxy_block(cli, chain, https, proxy):
    """An https:// URL goes through the block's proxy, with Basic credentials, and the proxy resolves
    the name; the password never appears in the logs."""
    password = "s3cret-Pa55"
    tf = ('provider "tls" {\n  proxy {\n    url = "%s"\n    username = "iot"\n    password = "%s"\n  }\n}\n'
          % (proxy.url, password) + data(f'  url = "https://{PROXIED_HOST}:{https.port}/"'))
    env = {"SSL_CERT_FILE": chain.root_file, "TF_LOG_PROVIDER": "trace"}
    cli.write_tf(PROVIDER + tf)
    cli.init()
    r = cli.apply(env=env)
    values = cli.state()["values"]["root_module"]["resources"][0]["values"]
    check_chain(chain, values["certificates"])
    assert f"CONNECT {PROXIED_HOST}:{https.port} HTTP/1.1" in proxy.connects
    expected = "Basic " + base64.b64encode(f"iot:{password}".encode()).decode()
    assert set(proxy.auth) == {expected}
    assert password not in r.output
    assert cli.run("plan", "-detailed-exitcode", env=env, check=False).rc == 0


def test_proxy_from_environment(cli, chain, https, proxy):
    """No block (or from_env = true): HTTPS_PROXY is used; from_env = false connects directly (and the
    name only the proxy knows does not resolve)."""
    url = f"https://{PROXIED_HOST}:{https.port}/"
    env = {"HTTPS_PROXY": proxy.url, "SSL_CERT_FILE": chain.root_file, "NO_PROXY": ""}
    values = read(cli, data(f'  url = "{url}"'), env=env)
    check_chain(chain, values["data.tls_certificate.c"]["certificates"])
    assert f"CONNECT {PROXIED_HOST}:{https.port} HTTP/1.1" in proxy.connects
    assert proxy.auth[0] is None

    explicit = cli.fresh("explicit")
    read(explicit, 'provider "tls" {\n  proxy {\n    from_env = true\n  }\n}\n' + data(f'  url = "{url}"'), env=env)

    n = len(proxy.connects)
    off = cli.fresh("off")
    off.write_tf(PROVIDER + 'provider "tls" {\n  proxy {\n    from_env = false\n  }\n}\n' + data(f'  url = "{url}"'))
    off.init()
    r = off.plan(env=env, check=False)
    assert r.rc != 0 and "Failed to fetch the peer certificates" in r.output
    assert len(proxy.connects) == n


BAD = {
    "both": (data('  url = "https://example.com"\n  content = "x"'), ["Conflicting attributes"]),
    "neither": (data(""), ["Invalid Attribute Combination", "Exactly one of url and content"]),
    "http scheme": (data('  url = "http://example.com"'), ["Invalid URL scheme", "https, tls"]),
    "no host": (data('  url = "https:///path"'), ["Invalid URL"]),
    "tls without port": (data('  url = "tls://example.com"'), ["URL malformed", "Port missing"]),
    "not pem": (data('  content = "not a pem"'), ["Failed to decode PEM"]),
    "key pem": (data('  content = "-----BEGIN PRIVATE KEY-----\\nMAA=\\n-----END PRIVATE KEY-----\\n"'),
                ["Unexpected PEM preamble", "PRIVATE KEY"]),
    "bad der": (data('  content = "-----BEGIN CERTIFICATE-----\\nMAA=\\n-----END CERTIFICATE-----\\n"'),
                ["Unable to parse certificate"]),
    "verify with content": (data('  content = "x"\n  verify_chain = true'), ["Conflicting attributes"]),
    "two proxies": ('provider "tls" {\n  proxy {}\n  proxy {}\n}\n' + data('  content = "x"'),
                    ["Too many proxy blocks"]),
    "proxy scheme": ('provider "tls" {\n  proxy {\n    url = "ftp://p:21"\n  }\n}\n' + data('  content = "x"'),
                     ["Invalid URL scheme", "http, https, socks5"]),
    "username alone": ('provider "tls" {\n  proxy {\n    username = "u"\n  }\n}\n' + data('  content = "x"'),
                       ["Invalid Attribute Combination", "\"username\" can only be set together with \"url\""]),
    "password alone": ('provider "tls" {\n  proxy {\n    url = "http://p"\n    password = "hunter2"\n  }\n}\n'
                       + data('  content = "x"'), ["\"password\" can only be set together with \"username\""]),
    "from_env and url": ('provider "tls" {\n  proxy {\n    url = "http://p"\n    from_env = true\n  }\n}\n'
                         + data('  content = "x"'), ["Conflicting attributes"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_a_plan_error(cli, case):
    tf, needles = BAD[case]
    cli.write_tf(PROVIDER + tf)
    cli.init()
    r = cli.plan(check=False)
    assert r.rc != 0, r.output
    for needle in needles:
        assert needle in r.output, r.output
    assert "on main.tf line" in r.output  # the diagnostic points into the configuration
    assert r.output.count("hunter2") <= 1  # the CLI's snippet of the line, never our message
    assert "panic" not in r.output.lower() and "crash" not in r.output.lower()


def test_example_is_valid(cli, chain):
    from pathlib import Path
    text = (Path(__file__).resolve().parents[2] / "examples/data-sources/tls_certificate/data-source.tf").read_text()
    cli.write_tf(PROVIDER + text)
    (cli.workdir / "certs").mkdir()
    (cli.workdir / "certs/greenhouse-sensor-042.pem").write_text(pem(chain.server))
    cli.init()
    assert json.loads(cli.run("validate", "-json").stdout)["valid"] is True


@pytest.mark.parametrize("tool,name", TOOLS)
def test_memcheck_clean(tool, name, tmp_path, chain, https, bare_tls, proxy):
    """valgrind / ASan+UBSan: content, https:// through the block's proxy with credentials, tls://,
    a failed handshake and bad input leave no error or leak report."""
    cli = checked_cli(tmp_path, "tls", tool, name)
    cli.write_tf(PROVIDER
                 + 'provider "tls" {\n  proxy {\n    url = "%s"\n    username = "u"\n    password = "p"\n  }\n}\n'
                 % proxy.url
                 + data(f'  content = file("{chain.root_file}")')
                 + data(f'  url = "https://{PROXIED_HOST}:{https.port}/"', name="proxied")
                 + data(f'  url = "tls://127.0.0.1:{bare_tls.port}"\n  verify_chain = false', name="bare"))
    cli.apply(env={"SSL_CERT_FILE": chain.root_file})
    check_chain(chain, {r["address"]: r["values"] for r in cli.state()["values"]["root_module"]["resources"]}
                ["data.tls_certificate.proxied"]["certificates"])
    untrusted = cli.fresh("untrusted")
    untrusted.write_tf(PROVIDER + data(f'  url = "https://127.0.0.1:{https.port}/"'))
    assert untrusted.plan(check=False).rc == 1
    bad = cli.fresh("bad")
    bad.write_tf(PROVIDER + data('  content = "-----BEGIN CERTIFICATE-----\\nMAA=\\n-----END CERTIFICATE-----\\n"'))
    assert bad.plan(check=False).rc == 1
    assert_clean(tmp_path, tool, min_runs=3)
