"""Our providers against the official ones, side by side: start-up, memory, size, CPU per resource.

    make bench-micro PEERS=/dir [BENCH_QUICK=1] [PEER_COMMITS=random=<sha>,...]

runs, with the test venv's python,

    bench/micro.py --peers DIR [--peer-commits SPEC] [--out bench/out] [--quick]

which builds and installs our executables into OUT/plugins (`make install`), measures them and the
peers in DIR, writes OUT/micro.json, then renders the report (bench/report.py): bench/RESULTS.md and
bench/cost-vs-n.png, or with --quick (a smoke run: few repeats, small N) OUT/RESULTS.md and
OUT/cost-vs-n.png, leaving the committed ones alone.

The measurements (each described in the report):
  handshake  exec -> handshake line, interleaved runs; instructions to that line under callgrind
  memory     peak RSS, RSS, PSS and anonymous memory after the handshake and one schema call
  size       the executable's bytes and the shared libraries it needs beyond glibc
  apply      `terraform apply` of N resources: CPU of the provider processes only, and wall time
"""

import argparse
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import lib
from http_servers import LoopbackServer  # tests/e2e, on the path through lib
from lib import BenchError

# Libraries of glibc itself (and the kernel's vDSO): what every C and cgo program may assume.
GLIBC = {"linux-vdso.so.1", "ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libpthread.so.0",
         "libdl.so.2", "librt.so.1", "libresolv.so.2", "libutil.so.1"}

# (resource type, counts, configuration of `count` resources); PROVIDER_SOURCE and COUNT are replaced.
APPLY_CASES = {
    "random_id": ("random", """
resource "random_id" "n" {
  count       = COUNT
  byte_length = 16
}
"""),
    "tls_private_key": ("tls", """
resource "tls_private_key" "n" {
  count       = COUNT
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}
"""),
    "data.http": ("http", """
data "http" "n" {
  count = COUNT
  url   = "HTTP_URL/item/${count.index}"
}
"""),
}


class Plan:
    """How much to measure: the default run, or --quick."""

    def __init__(self, quick):
        self.quick = quick
        self.handshake_runs = 5 if quick else 40
        self.memory_runs = 1 if quick else 5
        self.apply_repeats = 1 if quick else 3
        # Terraform itself needs minutes for an apply of 1000 resources with large state (tls keys), so the
        # repeats of one case and N stop where they would take longer than this (the first always runs).
        self.apply_budget_s = 240
        self.counts = {"random_id": (1, 10) if quick else (1, 100, 1000),
                       "tls_private_key": (1, 10) if quick else (1, 100, 1000),
                       "data.http": (1, 10) if quick else (1, 100)}


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- preparation ----------------------------------------------------------------------------------

def ensure_chart_tools():
    """matplotlib (bench/requirements.txt) in the running venv, installed on first use."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        log("installing bench/requirements.txt into the venv (matplotlib, for the chart)")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "--no-input", "-r", str(lib.REPO / "bench" / "requirements.txt")],
                       check=True, stdin=subprocess.DEVNULL)


def build(out):
    """Our executables installed (stripped) into OUT/plugins, and the harness's helpers: the rusage
    wrapper and the stopwatch."""
    plugins = out / "plugins"
    log(f"make install PLUGIN_DIR={plugins}")
    subprocess.run(["make", "-C", str(lib.REPO), "-s", "install", f"PLUGIN_DIR={plugins}", "build/bench-rusage",
                    "build/bench-stopwatch"], check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    return plugins, lib.REPO / "build" / "bench-rusage", lib.REPO / "build" / "bench-stopwatch"


def require_tools():
    for tool, why in (("valgrind", "instruction counts"), ("ldd", "shared libraries"), ("objdump", "shared libraries")):
        if not shutil.which(tool):
            raise BenchError(f"{tool} is missing ({why}); run `make deps`")
    if not os.access(lib.TERRAFORM, os.X_OK):
        raise BenchError(f"terraform not found at {lib.TERRAFORM}; run `make deps`")


# --- 1. start-up ----------------------------------------------------------------------------------

# A line like the handshake's, for timing the stopwatch itself.
FLOOR_ARGV = ["/bin/echo", "1|6|unix|/tmp/plugin.sock|grpc|"]


def stopwatch_seconds(stopwatch, argv, env, what):
    """bench-stopwatch's time from spawning `argv` to its first line, and that line."""
    run = subprocess.run([str(stopwatch), *argv], env=env, stdin=subprocess.DEVNULL, capture_output=True,
                         timeout=300)
    if run.returncode != 0:
        raise BenchError(f"{what}: {run.stderr.decode(errors='replace').strip()}")
    seconds, _, line = run.stdout.partition(b" ")
    return float(seconds), line


def handshake_times(providers, env, runs, stopwatch):
    """Seconds from exec to the handshake line, `runs` rounds, each round starting every provider once
    (interleaved, so a slow spell of the machine hits all of them alike), and the same for the floor:
    /bin/echo printing one line under the same stopwatch."""
    times = {p.label: [] for p in providers}
    floor = []
    for rnd in range(runs + 1):  # round 0 warms the page cache and is dropped
        for p in providers:
            elapsed, line = stopwatch_seconds(stopwatch, [p.path], env, p.label)
            lib.parse_handshake(line, p.label)
            if rnd:
                times[p.label].append(elapsed)
        elapsed, _ = stopwatch_seconds(stopwatch, FLOOR_ARGV, env, "the floor")
        if rnd:
            floor.append(elapsed)
    result = {label: lib.summary(t) for label, t in times.items()}
    return result, lib.summary(floor)


# Go's runtime preempts goroutines with signals, and callgrind 3.19 aborts on them
# ("vgCallgrind_post_signal: Assertion failed"); without async preemption a Go provider runs.
CALLGRIND_ENV = {"GODEBUG": "asyncpreemptoff=1"}
CALLGRIND = ["valgrind", "--tool=callgrind"]


def instructions(p, env, work):
    """Instructions (callgrind's Ir) from exec to the handshake line plus the SIGTERM exit right after it."""
    out, vglog = work / f"callgrind.{p.side}.{p.name}", work / f"valgrind.{p.side}.{p.name}.log"
    argv = [*CALLGRIND, f"--callgrind-out-file={out}", f"--log-file={vglog}", p.path]
    proc = lib.start(argv, {**env, **CALLGRIND_ENV})
    try:
        lib.read_handshake(proc, f"{p.label} under callgrind")
    except BenchError as e:
        return {"error": f"{e.code}; valgrind's log: {vglog}"}
    lib.stop(proc, timeout=120)
    m = re.search(r"^totals: (\d+)", out.read_text() if out.exists() else "", re.M)
    return {"instructions": int(m.group(1))} if m else {"error": f"callgrind wrote no totals; see {vglog}"}


# --- 2. memory ------------------------------------------------------------------------------------

def kib_fields(path, names):
    values = {}
    for line in Path(path).read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in names:
            values[key] = int(rest.split()[0])
    return values


def memory_after_schema(p, env, client):
    """/proc figures (KiB) once the provider has handshaken and answered the schema call."""
    proc = lib.start([p.path], env)
    hs = lib.read_handshake(proc, p.label)
    try:
        tls = lib.tls_context(hs.cert_pem, client)
        status, body = lib.h2_unary(hs.addr, lib.GET_SCHEMA[hs.app], b"", tls=tls, timeout=60)
        if status != 0 or not body:
            raise BenchError(f"{p.label}: the schema call failed (grpc-status {status})")
        figures = kib_fields(f"/proc/{proc.pid}/smaps_rollup", {"Rss", "Pss", "Anonymous"})
        figures.update(kib_fields(f"/proc/{proc.pid}/status", {"VmHWM"}))
        figures["schema_bytes"] = len(body)
        try:
            lib.h2_unary(hs.addr, lib.SHUTDOWN, b"", tls=tls)
        except OSError:
            pass  # go-plugin servers stop before answering Shutdown
    finally:
        lib.stop(proc)
    return figures


def memory(p, env, client, runs):
    samples = [memory_after_schema(p, env, client) for _ in range(runs)]
    result = {k: lib.summary([s[k] for s in samples]) for k in ("VmHWM", "Rss", "Pss", "Anonymous")}
    result["schema_bytes"] = samples[0]["schema_bytes"]
    return result


# --- 3. size --------------------------------------------------------------------------------------

def shared_closure(path):
    """{soname: resolved file} for what ldd loads for `path` (an executable or a library), glibc aside."""
    ldd = subprocess.run(["ldd", path], capture_output=True, text=True)  # exits 1 on a static executable
    closure = {}
    for line in ldd.stdout.splitlines():
        fields = line.split()
        if fields and ".so" in fields[0] and Path(fields[0]).name not in GLIBC:
            closure[Path(fields[0]).name] = os.path.realpath(fields[2]) if len(fields) > 2 and fields[1] == "=>" else None
    return closure


def size(p):
    """Bytes of the executable and of every shared library beyond glibc it needs; the direct ones."""
    closure = shared_closure(p.path)
    dynamic = subprocess.run(["objdump", "-p", p.path], capture_output=True, text=True, check=True).stdout
    needed = {line.split()[1] for line in dynamic.splitlines() if line.split()[:1] == ["NEEDED"]}
    lib_bytes = sum(os.path.getsize(f) for f in closure.values() if f)
    return {"bytes": os.path.getsize(p.path), "lib_bytes": lib_bytes,
            "total_bytes": os.path.getsize(p.path) + lib_bytes, "libs_beyond_glibc": sorted(closure),
            "needed_beyond_glibc": sorted(needed - GLIBC)}


# --- 4. terraform apply ---------------------------------------------------------------------------

class QuietHandler(http.server.BaseHTTPRequestHandler):
    """GET anything -> a small JSON document naming the path."""

    def do_GET(self):  # noqa: N802 (the http.server API)
        body = b'{"path": "%s", "ok": true}\n' % self.path.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def apply_server():
    """The local server the http data sources read, on 127.0.0.1 at a free port; not yet serving.  Its
    listen queue is the end-to-end tests' (LoopbackServer): socketserver's default of 5 drops the SYNs of a
    -parallelism burst, and each dropped one adds a second of TCP retransmission to the wall time."""
    return LoopbackServer(("127.0.0.1", 0), QuietHandler)


def configuration(p, case, count, http_url):
    provider, body = APPLY_CASES[case]
    return (f'terraform {{\n  required_providers {{\n    {provider} = {{ source = "{p.source}" }}\n  }}\n}}\n'
            + body.replace("COUNT", str(count)).replace("HTTP_URL", http_url))


def apply_once(p, case, count, work, rusage, http_url):
    """One `terraform apply` of `count` resources in a fresh directory. The provider is reached through a
    dev_overrides directory whose executable runs the real one under bench-rusage."""
    work.mkdir(parents=True)
    usage = work / "rusage.log"
    rc = lib.dev_overrides(work, {p.source: [rusage, usage, p.path]})
    (work / "main.tf").write_text(configuration(p, case, count, http_url))
    env = lib.clean_env(TF_CLI_CONFIG_FILE=str(rc))
    t0 = time.perf_counter()
    r = subprocess.run([str(lib.TERRAFORM), f"-chdir={work}", *APPLY_ARGS], env=env, capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, timeout=3600)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise BenchError(f"{p.label}: terraform apply of {count} {case} failed ({r.returncode}):\n"
                         f"{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    procs = [line.split() for line in usage.read_text().splitlines()]
    if not procs:
        raise BenchError(f"{p.label}: terraform ran no provider process through the wrapper in {work}")
    shutil.rmtree(work)
    # A provider that exits badly once its work is done (Terraform only logs that) is counted, not fatal.
    return {"cpu": sum(float(x[1]) + float(x[2]) for x in procs), "wall": wall,
            "peak_rss_kib": max(int(x[3]) for x in procs), "processes": len(procs),
            "bad_exits": [int(x[4]) for x in procs if x[4] != "0"]}


APPLY_ARGS = ["apply", "-auto-approve", "-input=false", "-no-color"]


def applies(pairs, plan, work, rusage):
    """{case: {N: {label: summaries}}}, every repeat of a case and N alternating ours and theirs."""
    server = apply_server()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    http_url = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    try:
        for case, (name, _) in APPLY_CASES.items():
            for count in plan.counts[case]:
                runs = {p.label: [] for p in pairs[name]}
                t0 = time.monotonic()
                for rep in range(plan.apply_repeats):
                    if rep and (time.monotonic() - t0) / rep * (rep + 1) > plan.apply_budget_s:
                        log(f"apply {count} {case}: {rep} repeats, another would pass {plan.apply_budget_s} s")
                        break
                    for p in pairs[name]:
                        log(f"apply {count} {case}, {p.label} ({rep + 1}/{plan.apply_repeats})")
                        runs[p.label].append(apply_once(p, case, count, work / f"{case}-{count}-{p.side}-{rep}",
                                                        rusage, http_url))
                results.setdefault(case, {"provider": name, "runs": {}})["runs"][count] = {
                    label: {**{k: lib.summary([r[k] for r in rs]) for k in ("cpu", "wall", "peak_rss_kib", "processes")},
                            "bad_exits": [code for r in rs for code in r["bad_exits"]]}
                    for label, rs in runs.items()}
    finally:
        server.shutdown()
        server.server_close()
    return results


# --- the run --------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--peers", default="", help="directory of the official terraform-provider-<name>_v<version>")
    ap.add_argument("--peer-commits", default="", help="name=commit,... for peers that do not record theirs")
    ap.add_argument("--out", default=str(lib.REPO / "bench" / "out"))
    ap.add_argument("--quick", action="store_true", help="a short smoke run")
    args = ap.parse_args()

    theirs = lib.peer_providers(args.peers, args.peer_commits)  # refuses first, before any build
    require_tools()
    ensure_chart_tools()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    plan = Plan(args.quick)
    started = time.monotonic()
    plugins, rusage, stopwatch = build(out)
    ours = lib.our_providers(plugins)
    pairs = {name: (ours[name], theirs[name]) for name in lib.NAMES}
    everyone = [p for pair in pairs.values() for p in pair]
    results = {
        "quick": plan.quick,
        "machine": lib.machine(),
        "terraform": lib.command_version([str(lib.TERRAFORM), "version"]),
        "valgrind": lib.command_version(["valgrind", "--version"]),
        "providers": {p.label: p for p in everyone},
        "pairs": {name: [p.label for p in pair] for name, pair in pairs.items()},
        "plan": vars(plan),
        "commands": {
            "handshake": "build/bench-stopwatch PROVIDER (bench/stopwatch.c: posix_spawn to the first newline "
                         "on stdout, CLOCK_MONOTONIC) with TF_PLUGIN_MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS=5,6, "
                         "PLUGIN_MIN_PORT=10000, PLUGIN_MAX_PORT=25000, PLUGIN_CLIENT_CERT=<fresh P-521 cert>",
            "callgrind": " ".join(CALLGRIND) + " --callgrind-out-file=F PROVIDER  (same environment plus "
                         + " ".join(f"{k}={v}" for k, v in CALLGRIND_ENV.items()) +
                         "; SIGTERM once the handshake line is read; `totals:` of F)",
            "apply": f"{lib.TERRAFORM} -chdir=DIR {' '.join(APPLY_ARGS)}  (fresh DIR, no state; the provider "
                     "through a dev_overrides directory whose executable runs it under build/bench-rusage)",
        },
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        client = lib.make_cert(tmp, "client")
        env = lib.plugin_env(client.pem, tmp)
        log(f"exec -> handshake, {plan.handshake_runs} interleaved rounds of {len(everyone)} executables")
        results["handshake"], results["handshake_floor"] = handshake_times(everyone, env, plan.handshake_runs,
                                                                           stopwatch)
        results["instructions"] = {}
        for p in everyone:
            log(f"callgrind, {p.label}")
            results["instructions"][p.label] = instructions(p, env, out)
        log("memory after the handshake and the schema call")
        results["memory"] = {p.label: memory(p, env, client, plan.memory_runs) for p in everyone}
        results["size"] = {p.label: size(p) for p in everyone}
        results["apply"] = applies(pairs, plan, tmp / "apply", rusage)
    results["run_seconds"] = time.monotonic() - started
    lib.write_json(out / "micro.json", results)
    log(f"measured in {results['run_seconds']:.0f} s; wrote {out / 'micro.json'}")

    import report
    report.render(out)


if __name__ == "__main__":
    main()
