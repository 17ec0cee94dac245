#!/usr/bin/env python3
"""Time from exec to the go-plugin handshake line, for providers side by side.

    bench/handshake.py [-n RUNS] NAME=PATH [NAME=PATH ...]

Each run starts the executable as Terraform would (magic cookie, protocol
versions 5,6 and a fresh client certificate, so AutoMTLS is on and the
provider makes its own key), reads the first stdout line, checks it is a
handshake, then ends the process.  Prints the median and the 90th
percentile per provider, and each one's median as a ratio to the first.
Needs the `cryptography` package (the test venv has it).
"""
import argparse
import datetime
import os
import signal
import statistics
import subprocess
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


def client_cert():
    key = ec.generate_private_key(ec.SECP521R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                              ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA512())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def one_run(path, env):
    t0 = time.perf_counter()
    p = subprocess.Popen([path], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    elapsed = time.perf_counter() - t0
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=10)
    fields = line.decode().strip().split("|")
    if len(fields) < 6 or fields[0] != "1" or fields[4] != "grpc" or len(fields[5]) < 50:
        raise SystemExit(f"{path}: not a TLS handshake line: {line!r}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=30)
    ap.add_argument("providers", nargs="+", metavar="NAME=PATH")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PLUGIN_"))}
    env.update(TF_PLUGIN_MAGIC_COOKIE=COOKIE, PLUGIN_PROTOCOL_VERSIONS="5,6",
               PLUGIN_MIN_PORT="10000", PLUGIN_MAX_PORT="25000", PLUGIN_CLIENT_CERT=client_cert())
    results = []
    for spec in args.providers:
        name, path = spec.split("=", 1)
        one_run(path, env)  # warm the page cache
        times = sorted(one_run(path, env) for _ in range(args.n))
        results.append((name, statistics.median(times), times[int(0.9 * (len(times) - 1))]))
    base = results[0][1]
    print(f"exec -> handshake line, {args.n} runs each (AutoMTLS on)")
    for name, med, p90 in results:
        print(f"  {name:<28} median {med * 1000:7.2f} ms   p90 {p90 * 1000:7.2f} ms"
              f"   x{med / base:.1f} of {results[0][0]}")


if __name__ == "__main__":
    main()
