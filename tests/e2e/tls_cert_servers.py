"""Loopback servers for tls_certificate's end-to-end tests.

`Chain` is a private root CA, an intermediate and a server certificate (for 127.0.0.1, localhost and
`PROXIED_HOST`, a name only the proxy resolves).  `TlsServer` presents that chain on 127.0.0.1 (as HTTPS,
or as a bare TLS endpoint that only handshakes), and `ConnectProxy` is an HTTP CONNECT proxy that
records every CONNECT line and Proxy-Authorization header it receives.
"""

import datetime
import ipaddress
import os
import socket
import ssl
import tempfile
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from http_servers import Server

PROXIED_HOST = "certs.example.test"


def _name(*pairs):
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


class Chain:
    """root -> intermediate -> server, as PEM; `pem` is the chain leaf first."""

    def __init__(self):
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        inter_key = ec.generate_private_key(ec.SECP384R1())
        self.server_key = ec.generate_private_key(ec.SECP256R1())
        self.root_name = _name((NameOID.COUNTRY_NAME, "US"), (NameOID.ORGANIZATION_NAME, "Example, Inc"),
                               (NameOID.COMMON_NAME, "Thingform Root CA"))
        self.inter_name = _name((NameOID.ORGANIZATION_NAME, "Example, Inc"),
                                (NameOID.ORGANIZATIONAL_UNIT_NAME, "Devices"),
                                (NameOID.COMMON_NAME, "Thingform Issuing CA"),
                                (NameOID.EMAIL_ADDRESS, "pki@example.com"))
        self.server_name = _name((NameOID.COMMON_NAME, "127.0.0.1"))

        def build(subject, issuer, key, signer, serial, *, ca, path_len=None, server=False, algo=hashes.SHA256()):
            b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                 .public_key(key.public_key()).serial_number(serial)
                 .not_valid_before(now - datetime.timedelta(hours=1))
                 .not_valid_after(now + datetime.timedelta(days=2))
                 .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len), critical=True))
            if server:
                b = b.add_extension(x509.SubjectAlternativeName(
                    [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost"),
                     x509.DNSName(PROXIED_HOST)]), critical=False)
                b = b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            return b.sign(signer, algo)

        self.root = build(self.root_name, self.root_name, root_key, root_key, 1001, ca=True)
        self.inter = build(self.inter_name, self.root_name, inter_key, root_key, 2002, ca=True, path_len=0)
        self.server = build(self.server_name, self.inter_name, self.server_key, inter_key,
                            0x1234567890ABCDEF1234, ca=False, server=True, algo=hashes.SHA384())
        self.certs = [self.server, self.inter, self.root]  # the order a server sends them
        self.pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in self.certs)
        self.root_pem = self.root.public_bytes(serialization.Encoding.PEM).decode()
        self.dir = tempfile.mkdtemp(prefix="tls-chain-")
        self.root_file = os.path.join(self.dir, "root.pem")
        with open(self.root_file, "w") as f:
            f.write(self.root_pem)

    def context(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert, key = os.path.join(self.dir, "chain.pem"), os.path.join(self.dir, "key.pem")
        with open(cert, "w") as f:
            f.write(self.pem)
        with open(key, "w") as f:
            f.write(self.server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()).decode())
        ctx.load_cert_chain(cert, key)
        return ctx


class HttpsServer(Server):
    """http_servers.Server over TLS with the whole chain; `port` is where it listens."""

    def __init__(self, chain):
        super().__init__(tls=chain.context())
        self.port = self.httpd.server_address[1]


class _Listener:
    """A loopback TCP listener handing each connection to self._one in a thread."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        raise NotImplementedError

    def close(self):
        self.sock.close()


class BareTlsServer(_Listener):
    """Accepts, completes a TLS handshake, then closes: no HTTP at all."""

    def __init__(self, chain):
        self.ctx = chain.context()
        self.handshakes = 0
        super().__init__()

    def _one(self, conn):
        try:
            with self.ctx.wrap_socket(conn, server_side=True) as tls:
                self.handshakes += 1
                tls.settimeout(5)
                try:
                    tls.recv(1)
                except (OSError, ssl.SSLError):
                    pass
        except (OSError, ssl.SSLError):
            conn.close()


class ConnectProxy(_Listener):
    """An HTTP CONNECT proxy on loopback; PROXIED_HOST resolves to 127.0.0.1 here only."""

    def __init__(self):
        self.connects, self.auth = [], []
        self.lock = threading.Lock()
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"

    def _one(self, conn):
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            head += chunk
        lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        method, target = lines[0].split(" ")[:2]
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
        with self.lock:
            self.connects.append(lines[0])
            self.auth.append(headers.get("proxy-authorization"))
        if method != "CONNECT":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            return
        host, port = target.rsplit(":", 1)
        try:
            upstream = socket.create_connection(("127.0.0.1" if host == PROXIED_HOST else host, int(port)), timeout=10)
        except OSError:
            conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            conn.close()
            return
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        upstream.settimeout(None)

        def pipe(a, b):
            try:
                while (data := a.recv(65536)):
                    b.sendall(data)
            except OSError:
                pass
            finally:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pipe, args=(upstream, conn), daemon=True).start()
        pipe(conn, upstream)
