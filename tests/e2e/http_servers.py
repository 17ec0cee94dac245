"""Loopback HTTP(S) servers for the http data source's end-to-end tests.

One `Server` is a ThreadingHTTPServer on 127.0.0.1 (optionally TLS, optionally requiring a client
certificate) answering a fixed set of routes and recording every request it received.
`Pki` makes a private CA, a server certificate for 127.0.0.1 and a client certificate with `cryptography`.
"""

import datetime
import gzip
import ipaddress
import json
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

BINARY = b"\xff\xfe\x00binary\x80"


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes
    at: float


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _cert(subject, key, issuer, issuer_key, *, ca=False, server=False, client=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder()
         .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
         .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now - datetime.timedelta(minutes=5))
         .not_valid_after(now + datetime.timedelta(days=1))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if server:
        b = b.add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), critical=False)
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    if client:
        b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return b.sign(issuer_key, hashes.SHA256())


class Pki:
    """A private CA with one server and one client certificate, all as PEM text."""

    def __init__(self):
        ca_key, server_key, client_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(3))
        self.ca_pem = _pem(_cert("thingform test CA", ca_key, "thingform test CA", ca_key, ca=True))
        self.server_pem = _pem(_cert("127.0.0.1", server_key, "thingform test CA", ca_key, server=True))
        self.server_key_pem = _key_pem(server_key)
        self.client_pem = _pem(_cert("client", client_key, "thingform test CA", ca_key, client=True))
        self.client_key_pem = _key_pem(client_key)
        other = ec.generate_private_key(ec.SECP256R1())
        self.other_key_pem = _key_pem(other)

    def server_context(self, require_client_cert):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        with tempfile.TemporaryDirectory() as d:
            cert, key = Path(d) / "cert.pem", Path(d) / "key.pem"
            cert.write_text(self.server_pem)
            key.write_text(self.server_key_pem)
            ctx.load_cert_chain(cert, key)
        if require_client_cert:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(cadata=self.ca_pem)
        return ctx


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
        with self.server.lock:
            self.server.seen.append(seen)
            count = sum(1 for s in self.server.seen if s.path == self.path)
        return seen, count

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self):
        seen, count = self._record()
        parts = self.path.split("?")[0].strip("/").split("/")
        route, arg = parts[0], parts[1] if len(parts) > 1 else ""
        if route == "plain":
            return self._send(200, b"hello\n", [("Content-Type", "text/plain"), ("x-double", "a"), ("X-Double", "b")])
        if route == "status":
            return self._send(int(arg), f"status {arg}".encode())
        if route == "echo":
            return self._send(200, json.dumps({"method": seen.method, "body": seen.body.decode("latin-1"),
                                               "headers": seen.headers}).encode(),
                              [("Content-Type", "application/json")])
        if route == "binary":
            return self._send(200, BINARY, [("Content-Type", "application/octet-stream")])
        if route == "gzip":
            if "gzip" in seen.headers.get("accept-encoding", ""):
                return self._send(200, gzip.compress(b"unzipped text"), [("Content-Encoding", "gzip")])
            return self._send(200, b"identity text")
        if route == "redirect":
            n = int(arg)
            if n == 0:
                return self._send(200, b"arrived")
            return self._send(302, b"", [("Location", f"/redirect/{n - 1}")])
        if route == "slow":
            time.sleep(float(arg))
            return self._send(200, b"late")
        if route == "gather":  # /gather/<token>/<n>: answers once n requests for it have arrived
            with self.server.arrived:
                self.server.arrived.notify_all()
                self.server.arrived.wait_for(
                    lambda: sum(1 for s in self.server.seen if s.path == self.path) >= int(parts[2]), timeout=60)
                together = sum(1 for s in self.server.seen if s.path == self.path)
            return self._send(200, f"{together} together".encode())
        if route == "flaky":  # /flaky/<token>/<failures>/<status>[/<retry-after>]
            failures, status = int(parts[2]), int(parts[3])
            if count <= failures:
                extra = [("Retry-After", parts[4])] if len(parts) > 4 else []
                return self._send(status, b"try again", extra)
            return self._send(200, f"ok after {count}".encode())
        return self._send(404, b"no such route")

    do_GET = do_POST = do_HEAD = _route


class LoopbackServer(ThreadingHTTPServer):
    """A thread per connection, and a listen queue deep enough for Terraform's -parallelism: with the default
    of 5, connections beyond it wait out TCP's SYN retries (a second or more) before they are served."""
    daemon_threads = True
    request_queue_size = 128


class Server:
    """A loopback server in a thread; `url(path)` addresses it, `seen` lists what it received."""

    def __init__(self, tls=None):
        self.httpd = LoopbackServer(("127.0.0.1", 0), Handler)
        self.httpd.seen, self.httpd.lock = [], threading.Lock()
        self.httpd.arrived = threading.Condition(self.httpd.lock)
        self.scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path, userinfo=""):
        return f"{self.scheme}://{userinfo}127.0.0.1:{self.httpd.server_address[1]}{path}"

    def seen(self, path):
        with self.httpd.lock:
            return [s for s in self.httpd.seen if s.path == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
