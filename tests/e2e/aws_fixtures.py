"""Shared pieces of the aws e2e tests: a moto server on loopback, the provider block, a fault server.

moto runs once per session on a free 127.0.0.1 port (its own process) and is reset before each test
that asks for `moto` (POST /moto-api/reset).  It is started through moto_testbed.py, which fills the gaps
of moto that the IoT resources notice (test bed only).  Nothing here talks to the real AWS: every endpoint the
provider is given is a loopback URL, and the environment the CLIs get has no AWS_* variables but ours.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from conftest import required_providers
from http_servers import LoopbackServer

PROVIDER = required_providers("aws")
REGION = "eu-west-1"
ACCOUNT = "123456789012"
FAKE_KEYS = {"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Moto:
    def __init__(self, url):
        self.url = url

    def reset(self):
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/moto-api/reset", method="POST"), timeout=10).read()

    def client(self, service, **kw):
        import boto3
        return boto3.client(service, endpoint_url=self.url, region_name=REGION,
                            aws_access_key_id=FAKE_KEYS["access_key"],
                            aws_secret_access_key=FAKE_KEYS["secret_key"], **kw)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")
    server = Path(__file__).with_name("moto_testbed.py")
    proc = subprocess.Popen([sys.executable, str(server), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/moto-api/")
        yield Moto(url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture
def moto(moto_server):
    moto_server.reset()
    return moto_server


def hcl(value):
    """A Python value as HCL (strings, bools, numbers, lists, dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {hcl(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def provider_block(endpoint=None, keys=True, skip=False, blocks="", **attrs):
    """A provider "aws" block: region, fake static keys, the iot/sts endpoints, extra attributes."""
    body = {"region": REGION, **(FAKE_KEYS if keys else {}), **attrs}
    if skip:
        body.update(skip_credentials_validation=True, skip_requesting_account_id=True,
                    skip_metadata_api_check="true")
    lines = [f"  {k} = {hcl(v)}" for k, v in body.items()]
    if endpoint:
        lines.append(f'  endpoints {{\n    iot = "{endpoint}"\n    sts = "{endpoint}"\n  }}')
    return 'provider "aws" {\n' + "\n".join(lines) + "\n" + blocks + "}\n"


FLEET_POLICY = {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*"}]}


def iot_fleet_tf(devices, prefix, policy_name):
    """HCL for the policy aws_iot_policy.fleet and `devices` devices named PREFIX-00, PREFIX-01, ...: each a
    thing, a certificate with generated keys, the thing's principal attachment and the policy's attachment."""
    policy = (f'resource "aws_iot_policy" "fleet" {{\n  name   = "{policy_name}"\n'
              f"  policy = jsonencode({json.dumps(FLEET_POLICY)})\n}}\n")
    if not devices:
        return policy
    return policy + f"""
resource "aws_iot_thing" "device" {{
  count = {devices}
  name  = format("{prefix}-%02d", count.index)
}}

resource "aws_iot_certificate" "device" {{
  count  = {devices}
  active = true
}}

resource "aws_iot_thing_principal_attachment" "device" {{
  count     = {devices}
  thing     = aws_iot_thing.device[count.index].name
  principal = aws_iot_certificate.device[count.index].arn
}}

resource "aws_iot_policy_attachment" "device" {{
  count  = {devices}
  policy = aws_iot_policy.fleet.name
  target = aws_iot_certificate.device[count.index].arn
}}
"""

def aws_env(home, **extra):
    """Environment for a CLI run: no AWS_* variable from outside, HOME in a temp dir, plus `extra`."""
    env = {k: "" for k in os.environ if k.startswith("AWS_")}
    env.update(HOME=str(home), AWS_CONFIG_FILE=str(Path(home) / "nonexistent-config"),
               AWS_SHARED_CREDENTIALS_FILE=str(Path(home) / "nonexistent-credentials"),
               AWS_EC2_METADATA_DISABLED="true")
    env.update(extra)
    return env


# --- a fault server ------------------------------------------------------------------------------------

class FaultServer:
    """A loopback stand-in for the IoT and STS APIs that misbehaves on purpose.

    mode "first_n": the first `n` requests get `status` with `code` (AWS-shaped: JSON body, x-amzn-ErrorType,
    x-amzn-RequestId), later ones succeed.  mode "rate": at most `rate` requests per second succeed (a token
    bucket), the rest get ThrottlingException (HTTP 400).  mode "html": every request gets an HTML 502.
    Requests are counted; the server stops itself after `max_requests` or `max_seconds`.
    """

    def __init__(self, mode="first_n", n=0, status=503, code="ServiceUnavailableException", rate=5.0,
                 max_requests=2000, max_seconds=300):
        self.mode, self.n, self.status, self.code, self.rate = mode, n, status, code, rate
        self.max_requests, self.deadline = max_requests, time.monotonic() + max_seconds
        self.lock = threading.Lock()
        self.requests = self.failures = 0
        self.tokens, self.last = rate, time.monotonic()
        self.httpd = LoopbackServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _admit(self):
        """True if this request succeeds."""
        with self.lock:
            self.requests += 1
            if self.requests > self.max_requests or time.monotonic() > self.deadline:
                return None
            if self.mode == "first_n":
                ok = self.requests > self.n
            elif self.mode == "rate":
                now = time.monotonic()
                self.tokens = min(self.rate, self.tokens + (now - self.last) * self.rate)
                self.last = now
                ok = self.tokens >= 1
                if ok:
                    self.tokens -= 1
            else:
                ok = False
            self.failures += not ok
            return ok

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body, ctype, headers=()):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                ok = server._admit()
                if ok is None:
                    self._reply(410, "fault server limit reached", "text/plain")
                elif not ok and server.mode == "html":
                    self._reply(502, "<html><body>Bad gateway</body></html>", "text/html")
                elif not ok:
                    code = "ThrottlingException" if server.mode == "rate" else server.code
                    status = 400 if server.mode == "rate" else server.status
                    self._reply(status, json.dumps({"__type": code, "message": "Rate exceeded"}),
                                "application/json", [("x-amzn-ErrorType", code),
                                                     ("x-amzn-RequestId", f"req-{server.requests}")])
                elif "GetCallerIdentity" in body:
                    self._reply(200, "<GetCallerIdentityResponse><GetCallerIdentityResult>"
                                f"<Arn>arn:aws:iam::{ACCOUNT}:user/fault</Arn><UserId>AIDA</UserId>"
                                f"<Account>{ACCOUNT}</Account></GetCallerIdentityResult>"
                                "</GetCallerIdentityResponse>", "text/xml")
                else:
                    self._reply(200, json.dumps({"endpointAddress": f"fault-{server.requests}.iot.example"}),
                                "application/json", [("x-amzn-RequestId", f"req-{server.requests}")])

            do_GET = do_POST = _serve

        return Handler
