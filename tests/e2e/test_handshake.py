"""The go-plugin side of a provider binary, driven directly as Terraform/OpenTofu would drive it.

mTLS calls use the stdlib ssl module (OpenSSL) with a minimal gRPC-over-h2 client: grpcio's BoringSSL
cannot sign or verify with ECDSA P-521, the curve go-plugin's AutoMTLS uses on both sides. grpcio is
used for the plaintext mode.
"""

import base64
import contextlib
import datetime
import os
import queue
import signal
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import grpc
import h2.config
import h2.connection
import h2.events
import h2.exceptions
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from conftest import clean_env, provider_binary

COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
HEALTH = "/grpc.health.v1.Health/Check"
HEALTH_PLUGIN = b"\n\x06plugin"  # HealthCheckRequest{service: "plugin"}
SERVING = b"\x08\x01"  # HealthCheckResponse{status: SERVING}
SHUTDOWN = "/plugin.GRPCController/Shutdown"


# --- certificates -------------------------------------------------------------------------------

@dataclass
class Cert:
    pem: str
    certfile: str
    keyfile: str


def make_cert(directory, name):
    """A certificate like go-plugin's generateCert (mtls.go): self-signed ECDSA P-521, CA, localhost."""
    key = ec.generate_private_key(ec.SECP521R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=262980))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                     data_encipherment=False, key_agreement=True, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH]),
                       critical=False)
        .sign(key, hashes.SHA512())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    certfile, keyfile = directory / f"{name}.crt", directory / f"{name}.key"
    certfile.write_bytes(pem)
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return Cert(pem.decode(), str(certfile), str(keyfile))


@pytest.fixture(scope="session")
def certs(tmp_path_factory):
    d = tmp_path_factory.mktemp("certs")
    return {"client": make_cert(d, "client"), "foreign": make_cert(d, "foreign")}


# --- the plugin process -------------------------------------------------------------------------

@dataclass
class Handshake:
    fields: list

    @property
    def app(self):
        return self.fields[1]

    @property
    def addr(self):
        return self.fields[3]

    @property
    def cert_der(self):
        return base64.b64decode(self.fields[5] + "=" * (-len(self.fields[5]) % 4), validate=True)

    @property
    def cert_pem(self):
        return ssl.DER_cert_to_PEM_cert(self.cert_der)


class Plugin:
    def __init__(self, exe, env):
        self.proc = subprocess.Popen([str(exe)], env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines, self.stderr = queue.Queue(), []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr.append), daemon=True).start()

    @staticmethod
    def _pump(pipe, sink):
        for line in iter(pipe.readline, b""):
            sink(line.decode(errors="replace"))
        sink(None)

    def handshake(self, timeout=60):
        """The first stdout line, parsed (go-plugin's client allows a minute)."""
        line = self.lines.get(timeout=timeout)
        assert line is not None, f"exited {self.proc.wait()} without a handshake:\n{self.stderr_text()}"
        assert line.endswith("\n")
        return Handshake(line.strip().split("|"))

    def stderr_text(self):
        return "".join(s for s in self.stderr if s)

    def wait(self, timeout):
        rc = self.proc.wait(timeout=timeout)
        time.sleep(0.05)  # let the pump threads drain
        return rc


@contextlib.contextmanager
def plugins():
    """start(exe, env) -> Plugin; each one still running at the end is killed."""
    started = []

    def start(exe, env):
        started.append(Plugin(exe, env))
        return started[-1]

    try:
        yield start
    finally:
        for p in started:
            if p.proc.poll() is None:
                p.proc.kill()
            p.proc.wait()


@pytest.fixture
def start_plugin(plugin_dir, tmp_path):
    """start_plugin(**env) -> Plugin, run with a clean environment plus `env` (TMPDIR: tmp_path/tmp unless
    given); killed at teardown."""
    tmpdir = tmp_path / "tmp"  # world-readable, like /tmp: the socket needs a private directory inside it
    tmpdir.mkdir(mode=0o755)
    with plugins() as start:
        yield lambda **env: start(provider_binary(plugin_dir, "random"), clean_env(**{"TMPDIR": str(tmpdir), **env}))


def plugin_env(certs, **extra):
    env = {"TF_PLUGIN_MAGIC_COOKIE": COOKIE, "PLUGIN_PROTOCOL_VERSIONS": "5,6",
           "PLUGIN_MIN_PORT": "10000", "PLUGIN_MAX_PORT": "25000"}
    if certs is not None:
        env["PLUGIN_CLIENT_CERT"] = certs["client"].pem
    env.update(extra)
    return env


# --- gRPC clients -------------------------------------------------------------------------------

def tls_context(server_pem, client):
    """Terraform's client TLS config: RootCAs = the plugin's cert, ServerName localhost, TLS >= 1.2, h2."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_verify_locations(cadata=server_pem)
    ctx.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)  # Go does not apply OpenSSL's strict checks
    ctx.set_alpn_protocols(["h2"])
    if client is not None:
        ctx.load_cert_chain(client.certfile, client.keyfile)
    return ctx


def h2_unary(addr, method, request=b"", tls=None, timeout=5):
    """One unary gRPC call over a unix socket; returns (grpc-status, response bytes). Raises OSError on
    transport failures (refused TLS handshake, connection closed or reset)."""
    sock = socket.socket(socket.AF_UNIX)
    sock.settimeout(timeout)
    sock.connect(addr)
    if tls is not None:
        sock = tls.wrap_socket(sock, server_hostname="localhost")
        assert sock.selected_alpn_protocol() == "h2", "grpc-go >= 1.67 clients need ALPN h2"
    with sock:
        return _h2_exchange(sock, method, request, tls)


def _h2_exchange(sock, method, request, tls):
    """The HTTP/2 half of h2_unary, on a connected socket."""
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sid = conn.get_next_available_stream_id()
    conn.send_headers(sid, [(":method", "POST"), (":scheme", "https" if tls else "http"), (":path", method),
                            (":authority", "unused"), ("content-type", "application/grpc"), ("te", "trailers")])
    conn.send_data(sid, b"\0" + len(request).to_bytes(4, "big") + request, end_stream=True)
    sock.sendall(conn.data_to_send())
    headers, body = {}, b""
    while True:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError("connection closed before the response ended")
        for ev in conn.receive_data(data):
            if isinstance(ev, (h2.events.ResponseReceived, h2.events.TrailersReceived)):
                headers.update(ev.headers)
            elif isinstance(ev, h2.events.DataReceived):
                body += ev.data
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
                raise ConnectionError(f"{type(ev).__name__}: {ev.error_code}")
            elif isinstance(ev, h2.events.StreamEnded) and ev.stream_id == sid:
                if body:
                    assert body[0] == 0 and int.from_bytes(body[1:5], "big") == len(body) - 5, body
                return int(headers.get("grpc-status", "-1")), body[5:]
        sock.sendall(conn.data_to_send())


def assert_shuts_down(plugin, hs, call):
    """Shutdown is answered OK or not at all, the process exits 0 within 1 s and removes its socket dir."""
    try:
        assert call(SHUTDOWN, b"") == (0, b"")
    except (OSError, h2.exceptions.H2Error):
        pass  # go-plugin stops its gRPC server before replying; Terraform ignores Shutdown errors
    assert plugin.wait(timeout=1) == 0, plugin.stderr_text()
    assert not os.path.exists(os.path.dirname(hs.addr)), "socket directory left behind"


# --- tests --------------------------------------------------------------------------------------

@pytest.mark.parametrize("cookie", [None, "wrong"])
def test_without_cookie_exits_with_hint(start_plugin, certs, cookie):
    env = plugin_env(certs)
    env.pop("TF_PLUGIN_MAGIC_COOKIE")
    if cookie is not None:
        env["TF_PLUGIN_MAGIC_COOKIE"] = cookie
    p = start_plugin(**env)
    assert p.wait(timeout=10) == 1
    assert p.lines.get(timeout=1) is None, "printed a handshake without the cookie"
    assert "plugin" in p.stderr_text().lower(), p.stderr_text()


def test_automtls_handshake_and_shutdown(start_plugin, certs):
    p = start_plugin(**plugin_env(certs))
    hs = p.handshake()
    assert len(hs.fields) == 6 and hs.fields[:3] == ["1", "6", "unix"] and hs.fields[4] == "grpc", hs.fields
    assert "=" not in hs.fields[5], "field 6 must be unpadded base64 (Go RawStdEncoding)"
    assert stat.S_ISSOCK(os.stat(hs.addr).st_mode)
    # only we can reach the socket: its directory is ours, 0700, and holds nothing else
    socket_dir = os.lstat(os.path.dirname(hs.addr))
    assert stat.S_ISDIR(socket_dir.st_mode) and socket_dir.st_uid == os.geteuid()
    assert stat.S_IMODE(socket_dir.st_mode) == 0o700
    assert os.listdir(os.path.dirname(hs.addr)) == ["plugin.sock"]

    cert = x509.load_der_x509_certificate(hs.cert_der)
    key = cert.public_key()
    # P-256 rather than go-plugin's P-521: cheaper, and Terraform's crypto/tls accepts it (every CLI test)
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    assert cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName) == ["localhost"]
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ExtendedKeyUsageOID.SERVER_AUTH in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert cert.not_valid_before_utc < datetime.datetime.now(datetime.timezone.utc) < cert.not_valid_after_utc

    tls = tls_context(hs.cert_pem, certs["client"])
    call = lambda method, req: h2_unary(hs.addr, method, req, tls=tls)  # noqa: E731
    assert call(HEALTH, HEALTH_PLUGIN) == (0, SERVING)
    assert call("/no.such.Service/Method", b"")[0] == grpc.StatusCode.UNIMPLEMENTED.value[0]
    assert_shuts_down(p, hs, call)


@pytest.mark.parametrize("client", [None, "foreign", "plaintext"])
def test_automtls_refuses_other_clients(start_plugin, certs, client):
    """No client certificate, a certificate other than PLUGIN_CLIENT_CERT's, or no TLS at all: refused."""
    p = start_plugin(**plugin_env(certs))
    hs = p.handshake()
    with pytest.raises((OSError, h2.exceptions.H2Error)):
        if client == "plaintext":
            status, _ = h2_unary(hs.addr, HEALTH, HEALTH_PLUGIN)
        else:
            status, _ = h2_unary(hs.addr, HEALTH, HEALTH_PLUGIN,
                                 tls=tls_context(hs.cert_pem, certs[client] if client else None))
        pytest.fail(f"{client or 'no'} client certificate was accepted (grpc-status {status})")
    if client == "plaintext":  # and through a real gRPC stack
        with grpc.insecure_channel(f"unix:{hs.addr}") as channel, pytest.raises(grpc.RpcError) as refused:
            channel.unary_unary(HEALTH)(HEALTH_PLUGIN, timeout=5)
        assert refused.value.code() == grpc.StatusCode.UNAVAILABLE, refused.value
    # the rightful client is still served
    assert h2_unary(hs.addr, HEALTH, HEALTH_PLUGIN, tls=tls_context(hs.cert_pem, certs["client"])) == (0, SERVING)


def test_plaintext_without_client_cert(start_plugin):
    p = start_plugin(**plugin_env(None))
    hs = p.handshake()
    assert hs.fields == ["1", "6", "unix", hs.addr, "grpc", ""]
    with grpc.insecure_channel(f"unix:{hs.addr}") as channel:
        assert channel.unary_unary(HEALTH)(HEALTH_PLUGIN, timeout=5) == SERVING
    assert_shuts_down(p, hs, lambda method, req: h2_unary(hs.addr, method, req))


def test_sigint_is_ignored(start_plugin):
    p = start_plugin(**plugin_env(None))
    hs = p.handshake()
    p.proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    assert p.proc.poll() is None, "SIGINT killed the plugin (go-plugin servers ignore it)"
    assert h2_unary(hs.addr, HEALTH, HEALTH_PLUGIN) == (0, SERVING)
    assert_shuts_down(p, hs, lambda method, req: h2_unary(hs.addr, method, req))


# PLUGIN_PROTOCOL_VERSIONS -> the acceptable APP fields. The server picks the highest offered version it
# serves; with no match go-plugin (server.go protocolVersion) still serves, advertising its own lowest
# version and leaving the client to fail with "incompatible API version". Unparsable entries are skipped.
OWN = {"5", "6"}  # 6 today; 5 if tfplugin5 is added
VERSIONS = {"5,6": {"6"}, "6,5": {"6"}, "6": {"6"}, "abc,6": {"6"}, "5": OWN, "7": OWN, "": OWN}


@pytest.mark.parametrize("offered", VERSIONS)
def test_protocol_version_negotiation(start_plugin, offered):
    p = start_plugin(**plugin_env(None, PLUGIN_PROTOCOL_VERSIONS=offered))
    assert p.handshake().app in VERSIONS[offered]


# --- every way out removes the socket and its directory -------------------------------------------

def test_sigterm_removes_the_socket(start_plugin, certs):
    p = start_plugin(**plugin_env(certs))
    hs = p.handshake()
    p.proc.send_signal(signal.SIGTERM)
    assert p.wait(timeout=5) == 0, p.stderr_text()
    assert not os.path.exists(os.path.dirname(hs.addr)), "socket directory left behind"


def test_parent_exit_stops_the_plugin(plugin_dir, certs, tmp_path):
    """Terraform killed: the plugin it started notices its parent's exit, stops and removes its socket."""
    launcher = ("import subprocess, sys\n"
                "p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)\n"
                "print(p.pid, file=sys.stderr, flush=True)\n"
                "p.wait()\n")
    parent = subprocess.Popen([sys.executable, "-c", launcher, str(provider_binary(plugin_dir, "random"))],
                              env=clean_env(TMPDIR=str(tmp_path), **plugin_env(certs)), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    pid = int(parent.stderr.readline())
    try:
        hs = Handshake(parent.stdout.readline().decode().strip().split("|"))
        assert os.path.exists(hs.addr)
        parent.kill()
        # the plugin holds the pipes' last write ends: they reach EOF once it has exited
        _, stderr = parent.communicate(timeout=10)
        assert not os.path.exists(os.path.dirname(hs.addr)), f"socket directory left behind; {stderr!r}"
    finally:
        if os.path.exists(f"/proc/{pid}"):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("failure", ["bad client certificate", "socket path too long"])
def test_start_up_failure_leaves_nothing_behind(start_plugin, certs, tmp_path, failure):
    """A start-up error once the socket's directory exists: exit 1 with the reason, the directory removed."""
    tmpdir = tmp_path / "tmp"
    if failure == "bad client certificate":
        env = plugin_env(certs, PLUGIN_CLIENT_CERT="-----BEGIN CERTIFICATE-----\nnot base64\n")
    else:  # a unix socket's path holds at most 107 bytes
        tmpdir = tmp_path / ("d" * 100)
        tmpdir.mkdir()
        env = plugin_env(certs, TMPDIR=str(tmpdir))
    p = start_plugin(**env)
    assert p.wait(timeout=30) == 1, p.stderr_text()
    assert p.lines.get(timeout=1) is None, "printed a handshake"
    assert "cannot start the plugin server" in p.stderr_text(), p.stderr_text()
    assert os.listdir(tmpdir) == [], "socket directory left behind"


def test_sigkill_does_not_hinder_the_next_start(start_plugin, certs):
    """SIGKILL cannot clean up: the socket and its directory stay. The next start makes its own directory."""
    first = start_plugin(**plugin_env(certs))
    stale = first.handshake()
    first.proc.kill()
    first.wait(timeout=5)
    second = start_plugin(**plugin_env(certs))
    hs = second.handshake()
    assert os.path.dirname(hs.addr) != os.path.dirname(stale.addr)
    tls = tls_context(hs.cert_pem, certs["client"])
    call = lambda method, req: h2_unary(hs.addr, method, req, tls=tls)  # noqa: E731
    assert call(HEALTH, HEALTH_PLUGIN) == (0, SERVING)
    assert_shuts_down(second, hs, call)
