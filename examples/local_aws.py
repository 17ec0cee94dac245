"""Local stand-ins for AWS, for `make demo` (examples/run.sh) and tests/e2e/test_iot_device_example.py.

- moto plays the AWS IoT and STS APIs, through the test bed's launcher (tests/e2e/moto_testbed.py, which
  fills the gaps of moto the example would notice);
- an HTTPS server on loopback serves a test root CA in the place of Amazon Root CA 1
  (https://www.amazontrust.com/repository/AmazonRootCA1.pem); its own certificate is signed by that CA;
- mosquitto on loopback plays the device data endpoint: MQTT over TLS, client certificate required.
  It proves that the key, certificate and CA the example outputs work for mutual TLS.  It does NOT
  enforce the IoT policy.

Run with the test venv's Python (~/.cache/thingform/venv/bin/python):

    local_aws.py serve DIR            moto + the CA server on free loopback ports; writes the test PKI
                                      and DIR/env (`export` lines: MOTO_URL and what points the example
                                      at the stand-ins); runs until SIGTERM/SIGINT
    local_aws.py check URL OUTPUTS    check the applied example out of band (boto3)
    local_aws.py mqtt DIR PKI OUTPUTS publish one message as the device, through a local broker
                                      (PKI: the directory `serve` wrote the test PKI to)
    local_aws.py empty URL            fail unless moto holds no thing, certificate or policy

OUTPUTS is the JSON of `tofu output -json` (it holds the private key: keep it in a private directory).
TEST BED ONLY: nothing here is part of the providers.
"""

import datetime
import json
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))

# The test bed's modules live with the e2e tests.
from aws_fixtures import FAKE_KEYS, REGION, free_port  # noqa: E402
from http_servers import LoopbackServer, Pki  # noqa: E402

ACCESS_KEY, SECRET_KEY = FAKE_KEYS["access_key"], FAKE_KEYS["secret_key"]
CA_PATH = "/repository/AmazonRootCA1.pem"
OBSERVER = "thingform-demo-observer"


class Failed(Exception):
    """A check that did not hold; the message says what was expected and what was found."""


def wait_until(what, ready, timeout=30):
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise Failed(f"{what}: not ready after {timeout} s")
        time.sleep(0.1)


def stop(proc):
    """Terminate a child process; the whole process group when it leads one (start_new_session)."""
    if proc.poll() is not None:
        return

    def kill(sig):
        try:
            if os.getpgid(proc.pid) == proc.pid:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        except ProcessLookupError:
            pass

    kill(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill(signal.SIGKILL)
        proc.wait()


# --- moto ------------------------------------------------------------------------------------------------

def start_moto(log, own_group=True):
    """moto on a free loopback port (in a process group of its own unless `own_group` is false);
    returns (process, url)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "tests" / "e2e" / "moto_testbed.py"),
                             "-H", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=own_group)
    url = f"http://127.0.0.1:{port}"

    def up():
        if proc.poll() is not None:
            raise Failed(f"moto exited with status {proc.returncode} (see its log)")
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=2).read()
            return True
        except OSError:
            return False

    try:
        wait_until("moto", up, timeout=60)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def iot_client(url):
    import boto3
    return boto3.client("iot", endpoint_url=url, region_name=REGION, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY)


# --- the test PKI and the HTTPS server in Amazon's place --------------------------------------------------

def write_pki(directory):
    """A test root CA, a server certificate for 127.0.0.1 and an observer's client certificate, as files."""
    pki = Pki()
    directory = Path(directory)
    files = {"ca.pem": pki.ca_pem, "server.pem": pki.server_pem, "server.key": pki.server_key_pem,
             "observer.pem": pki.client_pem, "observer.key": pki.client_key_pem}
    for name, text in files.items():
        path = directory / name
        path.write_text(text)
        path.chmod(0o600)
    return pki


class CaServer:
    """HTTPS on a free loopback port; GET CA_PATH answers the test root CA, anything else 404."""

    def __init__(self, pki):
        body = pki.ca_pem.encode()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                found = self.path == CA_PATH
                data = body if found else b"not found\n"
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/x-pem-file" if found else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = LoopbackServer(("127.0.0.1", 0), Handler)
        self.httpd.socket = pki.server_context(require_client_cert=False).wrap_socket(
            self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}{CA_PATH}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def example_env(moto_url, ca_url, ca_pem):
    """The variables and credentials that point examples/iot-device at the stand-ins."""
    return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION,
            "TF_VAR_region": REGION, "TF_VAR_iot_endpoint": moto_url, "TF_VAR_sts_endpoint": moto_url,
            "TF_VAR_root_ca_url": ca_url, "TF_VAR_root_ca_url_trust_pem": ca_pem}


def serve(directory):
    # A process group of its own (moto joins it), so that the driver stops everything with one kill;
    # and a watch on the parent, so that nothing outlives a driver that was killed outright.
    if os.getpgid(0) != os.getpid():
        os.setsid()
    parent = os.getppid()
    directory = Path(directory)
    pki = write_pki(directory)
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: stopping.set())
    with open(directory / "moto.log", "w") as log:
        proc, url = start_moto(log, own_group=False)
        ca = None
        try:
            ca = CaServer(pki)
            env = {"MOTO_URL": url, **example_env(url, ca.url, pki.ca_pem)}
            tmp = directory / "env.tmp"
            tmp.write_text("".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()))
            tmp.rename(directory / "env")
            while not stopping.wait(0.5) and os.getppid() == parent:
                if proc.poll() is not None:
                    raise Failed(f"moto exited with status {proc.returncode}; see {directory / 'moto.log'}")
        finally:
            if ca:
                ca.close()
            stop(proc)


# --- out-of-band checks -----------------------------------------------------------------------------------

def output_values(outputs_file):
    """{name: value} from the JSON of `output -json`."""
    return {k: v["value"] for k, v in json.loads(Path(outputs_file).read_text()).items()}


def load_private_key(pem):
    from cryptography.hazmat.primitives import serialization
    return serialization.load_pem_private_key(pem.encode(), password=None)


def same_public_key(cert_pem, key_pem):
    """True if the certificate certifies the private key's public key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    def spki(public_key):
        return public_key.public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo)

    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    return spki(cert.public_key()) == spki(load_private_key(key_pem).public_key())


def check_device(url, out):
    """What AWS IoT (moto) holds for the device in the outputs `out`; raises Failed where it differs.
    Returns a list of lines saying what was checked, and the policy documents by name."""
    iot = iot_client(url)
    thing = out["thing_name"]
    iot.describe_thing(thingName=thing)
    principals = iot.list_thing_principals(thingName=thing)["principals"]
    if len(principals) != 1:
        raise Failed(f"thing {thing}: expected one principal attached, found {principals}")
    cert_arn = principals[0]
    cert = iot.describe_certificate(certificateId=cert_arn.rsplit("/", 1)[1])["certificateDescription"]
    if cert["status"] != "ACTIVE":
        raise Failed(f"certificate {cert['certificateId']}: status {cert['status']}, expected ACTIVE")
    if cert["certificatePem"].strip() != out["certificate_pem"].strip():
        raise Failed(f"certificate {cert['certificateId']}: AWS holds another PEM than output certificate_pem")
    if not same_public_key(cert["certificatePem"], out["private_key_pem"]):
        raise Failed(f"certificate {cert['certificateId']}: its public key is not private_key_pem's")
    policies = iot.list_attached_policies(target=cert_arn)["policies"]
    if not policies:
        raise Failed(f"certificate {cert['certificateId']}: no policy attached")
    documents = {p["policyName"]: json.loads(iot.get_policy(policyName=p["policyName"])["policyDocument"])
                 for p in policies}
    endpoint = iot.describe_endpoint(endpointType="iot:Data-ATS")["endpointAddress"]
    if endpoint != out["endpoint"]:
        raise Failed(f"endpoint: output {out['endpoint']}, DescribeEndpoint says {endpoint}")
    lines = [f"thing {thing} has one principal: {cert_arn}",
             f"certificate {cert['certificateId'][:16]}...: ACTIVE, the PEM AWS holds is output certificate_pem,"
             " its public key is private_key_pem's"]
    for name, doc in documents.items():
        lines.append(f"policy {name} is attached to the certificate; AWS holds this document:")
        for s in _list(doc.get("Statement")) if isinstance(doc, dict) else []:
            if isinstance(s, dict):
                # An ARN's part after the account: client/..., topic/..., topicfilter/...
                where = ", ".join(str(r).split(":", 5)[-1] for r in _list(s.get("Resource")))
                lines.append(f"  {s.get('Effect')} {', '.join(map(str, _list(s.get('Action'))))} on {where}")
    lines.append(f"endpoint {endpoint} is what DescribeEndpoint(iot:Data-ATS) answers")
    return lines, documents


def _list(value):
    return value if isinstance(value, list) else [value]


def backend_contents(url):
    """{kind: [names]} of what moto holds: things, certificates, policies."""
    iot = iot_client(url)
    return {"things": [t["thingName"] for t in iot.list_things()["things"]],
            "certificates": [c["certificateId"] for c in iot.list_certificates()["certificates"]],
            "policies": [p["policyName"] for p in iot.list_policies()["policies"]]}


# --- MQTT as the device -----------------------------------------------------------------------------------

def write_files(directory, files):
    """{name: text} written to private files (0600) in `directory`; returns {name: path}."""
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, text in files.items():
        fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
    return {name: directory / name for name in files}


def write_device_files(directory, out):
    """The files a device keeps, from the outputs: certificate, private key, root CA."""
    return write_files(directory, {"device.pem.crt": out["certificate_pem"],
                                   "private.pem.key": out["private_key_pem"], "root-ca.pem": out["root_ca_pem"]})


def write_impostor(directory, cert_pem):
    """A new EC key and a self-signed certificate with the subject of `cert_pem`, as files (cert, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    subject = x509.load_pem_x509_certificate(cert_pem.encode()).subject
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1)).sign(key, hashes.SHA256()))
    files = write_files(directory, {
        "impostor.pem.crt": cert.public_bytes(serialization.Encoding.PEM).decode(),
        "impostor.pem.key": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()).decode()})
    return files["impostor.pem.crt"], files["impostor.pem.key"]


def mqtt_publish(directory, pki_dir, out, message):
    """Start mosquitto on loopback (TLS, client certificates required; it trusts the test root CA and the
    device's certificate), subscribe as an observer, publish `message` as the device with the files
    written from the outputs, then try again with an impostor: a new key and a self-signed certificate
    with the device's subject.  Returns (topic, payload received, the broker's line on the device,
    the impostor's error)."""
    for tool in ("mosquitto", "mosquitto_pub", "mosquitto_sub"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise Failed(f"{tool} not found: install the Debian packages mosquitto and mosquitto-clients")
    directory, pki_dir = Path(directory), Path(pki_dir)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    device = write_device_files(directory / "device", out)
    thing = out["thing_name"]
    trust = directory / "broker-trust.pem"
    trust.write_text((pki_dir / "ca.pem").read_text() + out["certificate_pem"])
    port = free_port()
    log = directory / "mosquitto.log"
    conf = directory / "mosquitto.conf"
    # `user`: run as whoever runs this (as root, mosquitto would switch to the user "mosquitto",
    # who may not read these private files).
    conf.write_text(f"user {pwd.getpwuid(os.getuid()).pw_name}\nlistener {port} 127.0.0.1\n"
                    f"cafile {trust}\ncertfile {pki_dir / 'server.pem'}\nkeyfile {pki_dir / 'server.key'}\n"
                    "require_certificate true\nuse_identity_as_username true\nallow_anonymous false\n"
                    f"persistence false\nlog_dest file {log}\nlog_type all\nconnection_messages true\n")
    broker = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    topic = f"$aws/things/{thing}/demo"
    common = ["-h", "127.0.0.1", "-p", str(port), "-q", "1"]
    procs = []

    def start(argv):
        procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, start_new_session=True))
        return procs[-1]

    def log_has(text):
        return log.exists() and text in log.read_text(errors="replace")

    try:
        server = start([broker, "-c", str(conf)])
        wait_until("mosquitto", lambda: server.poll() is None and log_has(f"listen socket on port {port}")
                   or _dead(server, "mosquitto", log), timeout=20)
        sub = start(["mosquitto_sub", *common, "--cafile", str(pki_dir / "ca.pem"),
                     "--cert", str(pki_dir / "observer.pem"), "--key", str(pki_dir / "observer.key"),
                     "-i", OBSERVER, "-t", f"$aws/things/{thing}/#", "-C", "1", "-W", "30", "-v"])
        wait_until("mosquitto_sub", lambda: log_has(f"{OBSERVER} 1 $aws/things/{thing}/#")
                   or _dead(sub, "mosquitto_sub"), timeout=20)
        def publish(cert, key):
            return subprocess.run(["mosquitto_pub", *common, "--cafile", str(device["root-ca.pem"]),
                                   "--cert", str(cert), "--key", str(key), "-i", thing, "-t", topic,
                                   "-m", message],
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)

        pub = publish(device["device.pem.crt"], device["private.pem.key"])
        if pub.returncode != 0:
            raise Failed(f"mosquitto_pub as {thing} exited {pub.returncode}: {pub.stdout}{pub.stderr}".strip())
        try:
            received, _ = sub.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            raise Failed("mosquitto_sub received nothing within 30 s") from None
        if sub.returncode != 0:
            raise Failed(f"mosquitto_sub exited {sub.returncode}: {received.strip()}")
        got_topic, _, payload = received.rstrip("\n").partition(" ")
        connected = [line.split(": ", 1)[-1] for line in log.read_text(errors="replace").splitlines()
                     if f" as {thing} " in line and "New client connected" in line]
        if not connected:
            raise Failed(f"the broker's log has no connection from client id {thing}")
        seen = len(log.read_text(errors="replace"))
        impostor = publish(*write_impostor(directory / "impostor", out["certificate_pem"]))

        def refusals():
            return [line.split(": ", 1)[-1] for line in log.read_text(errors="replace")[seen:].splitlines()
                    if "certificate verify failed" in line]

        if impostor.returncode == 0:
            raise Failed("the broker accepted a certificate it was not given: require_certificate is not in force")
        wait_until("the broker's refusal of the impostor", refusals, timeout=10)
        return got_topic, payload, connected[0], refusals()[0]
    finally:
        for proc in reversed(procs):
            stop(proc)


def _dead(proc, name, log=None):
    if proc.poll() is not None:
        text = proc.stdout.read() if proc.stdout else ""
        if log and Path(log).exists():
            text += Path(log).read_text(errors="replace")
        raise Failed(f"{name} exited {proc.returncode}: {text.strip()[-2000:]}")
    return False


# --- the command line -------------------------------------------------------------------------------------

def main(argv):
    cmd, args = (argv[0], argv[1:]) if argv else ("", [])
    try:
        if cmd == "serve" and len(args) == 1:
            serve(args[0])
        elif cmd == "check" and len(args) == 2:
            lines, _ = check_device(args[0], output_values(args[1]))
            print("\n".join(f"  {line}" for line in lines))
        elif cmd == "mqtt" and len(args) == 3:
            out = output_values(args[2])
            message = json.dumps({"hello": "from " + out["thing_name"]})
            topic, payload, connected, refused = mqtt_publish(args[0], args[1], out, message)
            print(f"  broker: {connected}")
            print(f"  published as {out['thing_name']} to {topic}: {message}")
            print(f"  received by a subscriber on $aws/things/{out['thing_name']}/#: {payload}")
            if payload != message:
                raise Failed(f"received {payload!r}, published {message!r}")
            print(f"  an impostor (the same subject, another key) is refused: {refused}")
        elif cmd == "empty" and len(args) == 1:
            held = backend_contents(args[0])
            print("  " + ", ".join(f"{kind}: {len(names)}" for kind, names in held.items()))
            if any(held.values()):
                raise Failed(f"moto still holds {held}")
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except Failed as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: the finally clauses have stopped what was started
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
