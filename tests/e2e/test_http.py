"""The http data source through the real CLIs, against loopback servers the tests start."""

import base64
import json
import signal
import subprocess
import time
import uuid

import pytest

from conftest import required_providers
from http_servers import BINARY, Pki, Server
from memcheck import TOOLS, assert_clean, checked_cli

PROVIDER = required_providers("http")


@pytest.fixture(scope="module")
def pki():
    return Pki()


@pytest.fixture(scope="module")
def plain():
    s = Server()
    yield s
    s.close()


@pytest.fixture(scope="module")
def https(pki):
    s = Server(pki.server_context(require_client_cert=False))
    yield s
    s.close()


@pytest.fixture(scope="module")
def mtls(pki):
    s = Server(pki.server_context(require_client_cert=True))
    yield s
    s.close()


def hcl(value):
    """An HCL literal for a Python str, bool, int or dict of str."""
    if isinstance(value, dict):
        return "{\n" + "".join(f"    {json.dumps(k)} = {hcl(v)}\n" for k, v in value.items()) + "  }"
    if isinstance(value, str) and value.startswith("file("):
        return value
    return json.dumps(value)


def data_http(name, url, retry=None, **attrs):
    lines = [f"  url = {hcl(url)}"] + [f"  {k} = {hcl(v)}" for k, v in attrs.items()]
    if retry:
        lines.append("  retry {\n" + "".join(f"    {k} = {v}\n" for k, v in retry.items()) + "  }")
    return f'data "http" "{name}" {{\n' + "\n".join(lines) + "\n}\n"


def outputs_of(*names):
    return "".join(f'output "{n}" {{\n  value = data.http.{n}\n}}\n' for n in names)


def token():
    return uuid.uuid4().hex[:12]


def test_plain_http(cli, plain):
    cases = {
        "get": data_http("get", plain.url("/plain"), request_headers={"x-lower": "v", "Host": "example.test"}),
        "missing": data_http("missing", plain.url("/status/404")),
        "forbidden": data_http("forbidden", plain.url("/status/403")),
        "head": data_http("head", plain.url("/plain"), method="HEAD"),
        "post_body": data_http("post_body", plain.url("/echo?b"), method="POST", request_body="q=1&x=\u00e9"),
        "post_empty": data_http("post_empty", plain.url("/echo?n"), method="POST"),
        "redirect": data_http("redirect", plain.url("/redirect/3")),
        "gzip": data_http("gzip", plain.url("/gzip")),
        "gzip_raw": data_http("gzip_raw", plain.url("/gzip?raw"), request_headers={"Accept-Encoding": "gzip"}),
    }
    cli.write_tf(PROVIDER + "".join(cases.values()) + outputs_of(*cases))
    cli.init()
    cli.validate()
    r = cli.apply()
    # the one body that is not UTF-8: gzip_raw's, still compressed
    assert " ".join(r.output.split()).count("Response body is not recognized as UTF-8") == 1
    out = cli.outputs()

    get = out["get"]
    assert (get["status_code"], get["response_body"], get["body"]) == (200, "hello\n", "hello\n")
    assert get["id"] == plain.url("/plain")
    assert base64.b64decode(get["response_body_base64"]) == b"hello\n"
    assert get["response_headers"]["X-Double"] == "a, b"
    assert get["response_headers"]["Content-Type"] == "text/plain"
    assert get["response_headers"]["Content-Length"] == "6"
    sent = [s.headers for s in plain.seen("/plain") if s.headers.get("host") == "example.test"]
    assert sent and sent[-1]["x-lower"] == "v", "the headers or the Host override were not sent"

    assert (out["missing"]["status_code"], out["missing"]["response_body"]) == (404, "status 404")
    assert out["forbidden"]["status_code"] == 403
    assert (out["head"]["status_code"], out["head"]["response_body"]) == (200, "")
    assert any(s.method == "HEAD" for s in plain.seen("/plain"))

    echo = json.loads(out["post_body"]["response_body"])
    assert echo["method"] == "POST"
    assert echo["body"].encode("latin-1") == "q=1&x=\u00e9".encode()
    assert "content-type" not in echo["headers"] and "expect" not in echo["headers"]
    echo = json.loads(out["post_empty"]["response_body"])
    assert (echo["method"], echo["body"], echo["headers"].get("content-length")) == ("POST", "", "0")

    assert (out["redirect"]["status_code"], out["redirect"]["response_body"]) == (200, "arrived")
    assert plain.seen("/redirect/0")

    gz = out["gzip"]
    assert gz["response_body"] == "unzipped text"
    assert "Content-Encoding" not in gz["response_headers"] and "Content-Length" not in gz["response_headers"]
    raw = out["gzip_raw"]
    assert raw["response_headers"]["Content-Encoding"] == "gzip"
    assert base64.b64decode(raw["response_body_base64"])[:2] == b"\x1f\x8b"


def test_reads_served_concurrently(cli, plain):
    """Terraform reads as many data sources at once as -parallelism allows, and the provider must serve them
    all at once: the server answers none of these until all 40 requests are waiting (or 60 s pass)."""
    n = 40
    path = f"/gather/{token()}/{n}"
    names = [f"d{i:02d}" for i in range(n)]
    cli.write_tf(PROVIDER + "".join(data_http(name, plain.url(path)) for name in names) + outputs_of(*names))
    cli.init()
    started = time.monotonic()
    cli.run("apply", "-auto-approve", f"-parallelism={n}")
    took = time.monotonic() - started
    bodies = {name: value["response_body"] for name, value in cli.outputs().items()}
    assert bodies == {name: f"{n} together" for name in names}, bodies
    assert took < 50, f"the reads waited for each other: {took:.1f} s"


def test_binary_body_warns(cli, plain):
    cli.write_tf(PROVIDER + data_http("bin", plain.url("/binary")) + outputs_of("bin"))
    cli.init()
    r = cli.apply()
    assert "Response body is not recognized as UTF-8" in r.output
    out = cli.outputs()["bin"]
    assert base64.b64decode(out["response_body_base64"]) == BINARY
    assert out["response_body"] == BINARY.decode("utf-8", errors="replace")


def test_https_private_ca_and_insecure(cli, https, pki):
    (cli.workdir / "ca.pem").write_text(pki.ca_pem)
    cli.write_tf(PROVIDER + data_http("ca", https.url("/plain"), ca_cert_pem='file("ca.pem")')
                 + data_http("insecure", https.url("/plain"), insecure=True) + outputs_of("ca", "insecure"))
    cli.init()
    cli.apply()
    out = cli.outputs()
    assert out["ca"]["response_body"] == out["insecure"]["response_body"] == "hello\n"

    untrusted = cli.fresh("untrusted")
    untrusted.write_tf(PROVIDER + data_http("sys", https.url("/plain")))
    untrusted.init()
    r = untrusted.plan(check=False)
    out = " ".join(r.output.split())
    # libcurl's wording: "SSL certificate problem: <reason>" up to 7.x, "SSL certificate OpenSSL verify result:
    # <reason> (20)" in 8.x; the reason is OpenSSL's.
    assert r.rc != 0 and "giving up after 1 attempt(s): SSL certificate" in out
    assert "unable to get local issuer certificate" in out


def test_mutual_tls(cli, mtls, pki):
    for name, text in {"ca.pem": pki.ca_pem, "client.pem": pki.client_pem, "client.key": pki.client_key_pem}.items():
        (cli.workdir / name).write_text(text)
    cli.write_tf(PROVIDER + data_http("m", mtls.url("/plain"), ca_cert_pem='file("ca.pem")',
                                      client_cert_pem='file("client.pem")', client_key_pem='file("client.key")')
                 + 'output "body" { value = data.http.m.response_body }\n')
    cli.init()
    cli.apply()
    assert cli.outputs()["body"] == "hello\n"

    without = cli.fresh("nocert")
    (without.workdir / "ca.pem").write_text(pki.ca_pem)
    without.write_tf(PROVIDER + data_http("m", mtls.url("/plain"), ca_cert_pem='file("ca.pem")'))
    without.init()
    served = len(mtls.seen("/plain"))
    r = without.plan(check=False)
    assert r.rc != 0 and "Error making request" in r.output
    assert len(mtls.seen("/plain")) == served, "a request got through without a client certificate"


def test_transport_and_status_errors(cli, plain):
    t = token()
    cli.write_tf(PROVIDER
                 + data_http("slow", plain.url("/slow/3"), request_timeout_ms=200)
                 + data_http("unavailable", plain.url(f"/flaky/{t}a/9/503"))
                 + data_http("limited", plain.url(f"/flaky/{t}b/9/429"), retry={"attempts": 1, "min_delay_ms": 10})
                 + data_http("secret", plain.url(f"/flaky/{t}c/9/500", userinfo="user:hunter2@"))
                 + data_http("loop", plain.url("/redirect/11")))
    cli.init()
    start = time.monotonic()
    r = cli.plan(check=False)
    assert r.rc != 0
    out = " ".join(r.output.split())
    assert "request exceeded the specified timeout: 200ms, err: GET" in out
    assert time.monotonic() - start < 60
    assert f"/flaky/{t}a/9/503 giving up after 1 attempt(s): unexpected HTTP status 503 Service Unavailable" in out
    assert f"/flaky/{t}b/9/429 giving up after 2 attempt(s)" in out
    assert "hunter2" not in r.output and "user:xxxxx@127.0.0.1" in out
    assert "unexpected HTTP status 500 Internal Server Error" in out
    assert "redirect" in out.lower() and "giving up after 1 attempt(s)" in out
    assert len(plain.seen(f"/flaky/{t}a/9/503")) == 1 and len(plain.seen(f"/flaky/{t}b/9/429")) == 2


def test_retry_then_success(cli, plain):
    t = token()
    flaky, limited = f"/flaky/{t}/2/503", f"/flaky/{t}r/1/429/1"
    cli.write_tf(PROVIDER
                 + data_http("flaky", plain.url(flaky), retry={"attempts": 3, "min_delay_ms": 20, "max_delay_ms": 50})
                 + data_http("limited", plain.url(limited), retry={"attempts": 1, "min_delay_ms": 10, "max_delay_ms": 20})
                 + outputs_of("flaky", "limited"))
    cli.init()
    cli.apply()
    out = cli.outputs()
    assert (out["flaky"]["status_code"], out["flaky"]["response_body"]) == (200, "ok after 3")
    tries = plain.seen(flaky)
    assert len(tries) == 3
    assert tries[1].at - tries[0].at >= 0.02 and tries[2].at - tries[1].at >= 0.04
    assert out["limited"]["response_body"] == "ok after 2"
    first, second = plain.seen(limited)
    assert second.at - first.at >= 0.95, "Retry-After: 1 was not honoured"


@pytest.mark.parametrize("tool,name", TOOLS)
def test_memory_clean(tool, name, tmp_path, plain, mtls, pki):
    """valgrind / ASan+UBSan: one plan reads with headers, a body, gzip, redirects, a binary body, retries and
    mutual TLS, and fails on a refused connection; then bad input.  No error or leak report."""
    cli = checked_cli(tmp_path, "http", tool, name)
    for file, text in {"ca.pem": pki.ca_pem, "client.pem": pki.client_pem, "client.key": pki.client_key_pem}.items():
        (cli.workdir / file).write_text(text)
    t = token()
    cli.write_tf(PROVIDER
                 + data_http("get", plain.url(f"/plain?{t}"), request_headers={"Authorization": "Bearer x", "Host": "h"})
                 + data_http("post", plain.url("/echo"), method="POST", request_body="q=1")
                 + data_http("gzip", plain.url("/gzip")) + data_http("redirect", plain.url("/redirect/2"))
                 + data_http("bin", plain.url(f"/binary?{t}"))
                 + data_http("flaky", plain.url(f"/flaky/{token()}/1/503"), retry={"attempts": 2, "min_delay_ms": 1})
                 + data_http("m", mtls.url(f"/plain?{t}"), ca_cert_pem='file("ca.pem")',
                             client_cert_pem='file("client.pem")', client_key_pem='file("client.key")')
                 + data_http("refused", "http://127.0.0.1:1/"))
    r = cli.plan(check=False)
    assert r.rc == 1 and r.output.count("Error: ") == 1 and "with data.http.refused" in r.output, r.output
    assert plain.seen(f"/plain?{t}") and plain.seen(f"/binary?{t}") and mtls.seen(f"/plain?{t}")
    bad = cli.fresh("bad")
    bad.write_tf(PROVIDER + data_http("bad", "https://example.com", client_cert_pem="x", client_key_pem="y"))
    assert bad.run("validate", check=False).rc == 1
    assert_clean(tmp_path, tool, min_runs=2)


def test_stop_aborts_request_and_retry_sleep(cli, plain):
    """Ctrl-C makes the CLI call StopProvider: a request in flight and a retry sleep both end at once."""
    t = token()
    slow, flaky = f"/slow/60?{t}", f"/flaky/{t}/99/503"
    cli.write_tf(PROVIDER + data_http("slow", plain.url(slow))
                 + data_http("sleeping", plain.url(flaky), retry={"attempts": 5, "min_delay_ms": 60000}))
    cli.init()
    proc = subprocess.Popen([str(cli.exe), "plan", "-input=false", "-no-color"], cwd=cli.workdir, env=cli.env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (plain.seen(slow) and plain.seen(flaky)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert plain.seen(slow) and plain.seen(flaky), "the requests never reached the server"
        time.sleep(0.3)
        stopped_at = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert time.monotonic() - stopped_at < 15, "the provider did not stop promptly"
    assert proc.returncode != 0
    assert len(plain.seen(flaky)) == 1, "a retry was made after the stop"
    assert "Request cancelled" in out, out
