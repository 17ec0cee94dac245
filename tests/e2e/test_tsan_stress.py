"""The core under ThreadSanitizer: many resource RPCs at once from many client threads, StopProvider,
GRPCController.Shutdown or SIGTERM arriving while calls are in flight.

The providers are built with `make TSAN=1` (build/tsan, dynamically linked) by the module fixture. Each
scenario runs one provider process and fails on any ThreadSanitizer report, on a call that is neither
answered nor cancelled cleanly, or on an exit status other than 0. The suppressions name libraries, never
our code: tsan.supp gRPC's and abseil's, tsan-grpc-tls.supp (AutoMTLS scenario only) OpenSSL's.

Requests are protobuf and msgpack encoded by hand with the fuzz seed writer's helpers (the tests keep no
generated Python stubs). Plaintext calls go through grpcio, several channels multiplexing many streams;
mTLS calls use test_handshake's h2 client (grpcio's BoringSSL lacks AutoMTLS's P-521), one connection
per call, so TLS handshakes and connection teardown run concurrently with the calls as well.
"""

import importlib.util
import json
import random
import signal
import subprocess
import threading
from pathlib import Path

import grpc
import h2.exceptions
import pytest

from conftest import REPO, clean_env
from test_handshake import SHUTDOWN, h2_unary, make_cert, plugin_env, plugins, tls_context

_spec = importlib.util.spec_from_file_location("make_seeds", REPO / "tests" / "fuzz" / "make-seeds.py")
wire = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wire)

HERE = Path(__file__).resolve().parent
SUPPRESSIONS = HERE / "tsan.supp"
TLS_SUPPRESSIONS = HERE / "tsan-grpc-tls.supp"
PROVIDER = "/tfplugin6.Provider/"
THREADS = 24
ROUNDS = 16         # validate + plan + apply + read of each config, per thread and round
MTLS_ROUNDS = 4     # fewer: the client's P-521 handshake per call costs more than the call
CHANNELS = 4        # plaintext: HTTP/2 connections the threads share
CANCELLED = {grpc.StatusCode.CANCELLED.value[0], grpc.StatusCode.UNAVAILABLE.value[0]}

# One configuration per resource type; every attribute the config leaves out is null, as Terraform sends it.
CONFIGS = {
    "random": [("random_id", {"byte_length": 8, "prefix": "t-"}),
               ("random_string", {"length": 24, "special": False}),
               ("random_uuid", {})],
    "tls": [("tls_private_key", {"algorithm": "ECDSA", "ecdsa_curve": "P256"}),
            ("tls_private_key", {"algorithm": "ED25519"})],
}
# The field that holds the diagnostics in each response.
DIAGNOSTICS_FIELD = {"ValidateResourceConfig": 1, "ReadResource": 2, "PlanResourceChange": 4,
                     "ApplyResourceChange": 3, "ConfigureProvider": 1}


def full_object(provider, type_name, values):
    schema = json.loads((REPO / "schema" / provider / "resources" / f"{type_name}.json").read_text())
    assert not schema.get("blocks"), "full_object knows attributes only"
    return {name: values.get(name) for name in schema["attributes"]}


def fields(message):
    """Top-level protobuf fields of `message`: {number: [value, ...]} (varints as int, the rest as bytes)."""
    out, i = {}, 0

    def varint():
        nonlocal i
        n = shift = 0
        while True:
            b = message[i]
            i += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return n

    while i < len(message):
        key = varint()
        if key & 7 == 0:
            value = varint()
        elif key & 7 == 2:
            n = varint()
            value, i = message[i:i + n], i + n
        else:
            raise AssertionError(f"unexpected wire type in {message!r}")
        out.setdefault(key >> 3, []).append(value)
    return out


def error_summaries(rpc, response):
    diags = (fields(d) for d in fields(response).get(DIAGNOSTICS_FIELD[rpc], []))
    return [d.get(2, [b""])[0].decode() for d in diags if d.get(1, [0])[0] == 1]


# --- the provider under TSan --------------------------------------------------------------------

@pytest.fixture(scope="module")
def tsan_build():
    """build/tsan with the random and tls providers, built now (make is incremental)."""
    targets = [f"build/tsan/terraform-provider-{p}" for p in CONFIGS]
    r = subprocess.run(["nice", "make", "-C", str(REPO), "-j2", "TSAN=1", *targets], capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=900)
    assert r.returncode == 0, f"make TSAN=1 failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    for t in targets:  # no report from an uninstrumented build would prove nothing
        assert "libtsan" in subprocess.run(["ldd", str(REPO / t)], capture_output=True, text=True).stdout, t
    return REPO / "build" / "tsan"


@pytest.fixture
def start_tsan(tsan_build, tmp_path):
    """start_tsan(provider, certs) -> Plugin: the TSan build of `provider`, AutoMTLS unless certs is None."""
    def start(provider, certs):
        suppressions = SUPPRESSIONS
        if certs is not None:  # gRPC's TLS runs in OpenSSL: tsan.supp plus tsan-grpc-tls.supp
            suppressions = tmp_path / "tsan-mtls.supp"
            suppressions.write_text(SUPPRESSIONS.read_text() + TLS_SUPPRESSIONS.read_text())
        env = plugin_env(certs, TMPDIR=str(tmp_path),
                         TSAN_OPTIONS=f"suppressions={suppressions} halt_on_error=0 exitcode=66 "
                                      "second_deadlock_stack=1 history_size=4")
        return start_plugin(tsan_build / f"terraform-provider-{provider}", clean_env(**env))

    with plugins() as start_plugin:
        yield start


def tsan_reports(plugin):
    return [line for line in plugin.stderr_text().splitlines() if "ThreadSanitizer" in line]


# --- clients ------------------------------------------------------------------------------------

class PlaintextClient:
    def __init__(self, addr):
        self.channels = [grpc.insecure_channel(f"unix:{addr}") for _ in range(CHANNELS)]

    def call(self, method, request):
        """(grpc status, response bytes); the status alone when the call failed."""
        channel = random.choice(self.channels)
        try:
            return 0, channel.unary_unary(method)(request, timeout=120)
        except grpc.RpcError as e:
            return e.code().value[0], b""

    def close(self):
        for c in self.channels:
            c.close()


class MtlsClient:
    def __init__(self, hs, cert):
        self.addr, self.tls = hs.addr, tls_context(hs.cert_pem, cert)

    def call(self, method, request):
        try:
            return h2_unary(self.addr, method, request, tls=self.tls, timeout=120)
        except (OSError, h2.exceptions.H2Error):
            return "transport", b""

    def close(self):
        pass


# --- the workload -------------------------------------------------------------------------------

class Workload:
    """THREADS threads, each `rounds` rounds of validate, plan, apply and read of every config."""

    def __init__(self, client, provider, rounds=ROUNDS):
        self.client, self.provider, self.rounds = client, provider, rounds
        self.lock = threading.Lock()
        self.calls = self.answered = self.cancelled = 0
        self.failures = []
        self.half = threading.Event()
        self.total = THREADS * rounds * len(CONFIGS[provider]) * 4
        self.stopped = False  # set once StopProvider or Shutdown has been sent

    def rpc(self, name, request):
        status, response = self.client.call(PROVIDER + name, request)
        with self.lock:
            self.calls += 1
            if self.calls >= self.total // 2:
                self.half.set()
            if status == 0:
                self.answered += 1
                errors = error_summaries(name, response)
                if errors and not self.stopped:
                    self.failures.append(f"{name}: {errors}")
                return response if not errors else None
            self.cancelled += 1
            if not (self.stopped and (status in CANCELLED or status == "transport")):
                self.failures.append(f"{name}: status {status}")
            return None

    def one_config(self, type_name, values):
        config = wire.mp(full_object(self.provider, type_name, values))
        dyn = lambda b: wire.field(1, b)  # noqa: E731  DynamicValue{msgpack}
        name = wire.field(1, type_name)
        null = dyn(wire.mp(None))
        if self.rpc("ValidateResourceConfig", name + wire.field(2, dyn(config))) is None:
            return
        plan = self.rpc("PlanResourceChange", name + wire.field(2, null) + wire.field(3, dyn(config))
                        + wire.field(4, dyn(config)))
        if plan is None:
            return
        planned = fields(plan)[1][0]
        applied = self.rpc("ApplyResourceChange", name + wire.field(2, null) + wire.field(3, planned)
                           + wire.field(4, dyn(config)))
        if applied is None:
            return
        self.rpc("ReadResource", name + wire.field(2, fields(applied)[1][0]))

    def thread(self):
        for _ in range(self.rounds):
            for type_name, values in CONFIGS[self.provider]:
                self.one_config(type_name, values)

    def run(self, at_half):
        """Runs the threads; at_half() is called (on this thread) once half the calls have returned."""
        threads = [threading.Thread(target=self.thread) for _ in range(THREADS)]
        for t in threads:
            t.start()
        self.half.wait(timeout=600)
        at_half()
        for t in threads:
            t.join(timeout=600)
        assert not any(t.is_alive() for t in threads), "a call never returned"
        self.client.close()


def configure(client, provider):
    config = {"random": {}, "tls": {"proxy": []}}[provider]
    status, response = client.call(PROVIDER + "ConfigureProvider", wire.field(2, wire.field(1, wire.mp(config))))
    assert status == 0 and not error_summaries("ConfigureProvider", response), (status, response)


def shutdown(client):
    """Sends GRPCController.Shutdown: answered OK, or not at all once the server has closed."""
    status, response = client.call(SHUTDOWN, b"")
    assert status == 0 or status in CANCELLED or status == "transport", status


def finish(plugin, load):
    rc = plugin.wait(timeout=120)
    reports = tsan_reports(plugin)
    print(f"{load.calls} RPCs from {THREADS} threads: {load.answered} answered, {load.cancelled} cancelled; "
          f"exit {rc}; {len(reports)} ThreadSanitizer reports")
    assert not reports, plugin.stderr_text()[-20000:]
    assert rc == 0, plugin.stderr_text()[-5000:]
    assert not load.failures, load.failures[:20]


# --- scenarios ----------------------------------------------------------------------------------

@pytest.mark.parametrize("provider", list(CONFIGS))
def test_stop_mid_call_then_shutdown(start_tsan, provider):
    """StopProvider arrives with calls in flight; every call is answered; Shutdown once they are done."""
    p = start_tsan(provider, None)
    hs = p.handshake()
    client = PlaintextClient(hs.addr)
    configure(client, provider)
    load = Workload(client, provider)

    def stop():
        load.stopped = True
        status, response = client.call(PROVIDER + "StopProvider", b"")
        assert status == 0 and not fields(response).get(1), (status, response)

    load.run(stop)
    assert load.answered == load.calls == load.total, "StopProvider must not drop calls in flight"
    shutdown(PlaintextClient(hs.addr))
    finish(p, load)


@pytest.mark.parametrize("transport,stop", [("plaintext", "Shutdown"), ("mtls", "Shutdown"), ("plaintext", "SIGTERM")])
def test_shutdown_mid_call(start_tsan, tmp_path, transport, stop):
    """Shutdown (or SIGTERM) arrives with calls in flight: each is answered or cancelled, and the process
    exits 0."""
    certs = {"client": make_cert(tmp_path, "client")} if transport == "mtls" else None
    p = start_tsan("tls", certs)
    hs = p.handshake()
    client = PlaintextClient(hs.addr) if transport == "plaintext" else MtlsClient(hs, certs["client"])
    configure(client, "tls")
    load = Workload(client, "tls", ROUNDS if transport == "plaintext" else MTLS_ROUNDS)

    def stop_now():
        load.stopped = True
        if stop == "SIGTERM":
            p.proc.send_signal(signal.SIGTERM)
        else:
            shutdown(client)

    load.run(stop_now)
    finish(p, load)
