"""Fleet throughput (issue 12): examples/iot-device x N applied and destroyed through a throttling proxy.

    fleet.py OUT_DIR [--devices N] [--shard-size M] [--parallelism "10 50"] [--clis terraform]
                     [--quota-scale S]
    fleet.py OUT_DIR --report-only      rebuild OUT_DIR/fleet.md from OUT_DIR/fleet.json

moto (tests/e2e/moto_testbed.py) plays AWS IoT and STS, and a local HTTPS server serves the test root CA
(examples/local_aws.py); a ThrottleProxy (tests/e2e/iot_proxy.py) sits in front of moto and holds every
IoT operation to a quota, answering ThrottlingException above it as AWS does.  For each CLI and each
-parallelism value: apply, check moto out of band (boto3, bypassing the proxy), destroy, check again.
More than M devices (100 by default) are split into root modules of at most M, each its own directory and
state, applied together and then destroyed together (bench/fleet/scaling.md says why).
Writes OUT_DIR/fleet.json (every figure) and OUT_DIR/fleet.md (a RESULTS.md section).  Runs the providers
of this tree from a private filesystem mirror (make install), as the e2e tests and `make demo` do.
Every server is on 127.0.0.1 and stops with the driver.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
sys.path.insert(0, str(REPO / "examples"))
sys.path.insert(0, str(REPO / "bench"))

from aws_fixtures import FAKE_KEYS, REGION, hcl, provider_block  # noqa: E402
from conftest import CLIS, clean_env, required_providers, tool_version  # noqa: E402
from iot_proxy import OperationNames, ThrottleProxy, achieved_rate  # noqa: E402
import local_aws  # noqa: E402
from lib import git_commit  # noqa: E402

# AWS-like quotas (requests per second), the examples of issue 12: the calls that create, attach, read,
# detach and delete at 100/s, the List calls at 10/s.  --quota-scale multiplies every one.
WRITE_READ_QUOTA = 100.0
LIST_QUOTA = 10.0
TARGET = 0.90          # share of the busiest operation's quota the apply and the destroy should reach
CLI_TIMEOUT = 3600     # seconds for one apply or destroy
PROBE_SECONDS = 4
PROBE_THREADS = 8
DEVICE_FILES = ("main.tf", "outputs.tf", "variables.tf")


def quotas(scale):
    """(quotas by operation, the quota of every other IoT operation) at `scale` × the AWS-like figures."""
    lists = {name: LIST_QUOTA * scale for _, _, name in OperationNames().routes if name.startswith("List")}
    return lists, WRITE_READ_QUOTA * scale


# --- moto's own rate ---------------------------------------------------------------------------------------

def probe_moto(url):
    """Requests per second moto serves unthrottled: PROBE_THREADS clients doing CreateThing + DescribeThing
    for PROBE_SECONDS (a signed-looking header: moto reads the region from it)."""
    auth = (f"AWS4-HMAC-SHA256 Credential={FAKE_KEYS['access_key']}/20260101/{REGION}/iot/aws4_request, "
            "SignedHeaders=host, Signature=00")
    headers = {"Content-Type": "application/json", "Authorization": auth}
    done, lock = [0], threading.Lock()
    end = time.monotonic() + PROBE_SECONDS

    def client(k):
        i = 0
        while time.monotonic() < end:
            name = f"probe-{k}-{i}"
            i += 1
            for method, data in (("POST", b"{}"), ("GET", None)):
                req = urllib.request.Request(f"{url}/things/{name}", data=data, method=method, headers=headers)
                urllib.request.urlopen(req, timeout=30).read()
            with lock:
                done[0] += 2

    threads = [threading.Thread(target=client, args=(k,)) for k in range(PROBE_THREADS)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done[0] / (time.monotonic() - start)


# --- the configuration ---------------------------------------------------------------------------------------

def shard_sizes(devices, shard_size):
    """The devices of each root module: as few root modules as hold `shard_size` each, evenly filled."""
    shards = -(-devices // shard_size)
    return [devices // shards + (k < devices % shards) for k in range(shards)]


def write_config(workdir, devices, first, proxy_url, ca_url, ca_pem):
    """examples/iot-device as a module (without its provider block, so that it takes count) x `devices`, the
    things named from fleet-`first` on."""
    module = workdir / "device"
    module.mkdir(parents=True)
    for name in DEVICE_FILES:
        shutil.copy(REPO / "examples" / "iot-device" / name, module / name)
    (module / "versions.tf").write_text(required_providers("aws", "tls", "random", "http"))
    call = {"source": "./device", "count": devices, "root_ca_url": ca_url, "root_ca_url_trust_pem": ca_pem}
    body = "".join(f"  {k} = {hcl(v)}\n" for k, v in call.items())
    body += f'  thing_name_prefix = "fleet-${{count.index + {first}}}"\n'
    (workdir / "main.tf").write_text(required_providers("aws", "tls", "random", "http")
                                     + provider_block(endpoint=proxy_url)
                                     + f'module "device" {{\n{body}}}\n')


# --- out-of-band checks --------------------------------------------------------------------------------------

def paged(call, key, **kw):
    items = []
    while True:
        page = call(**kw)
        items += page.get(key, [])
        token = page.get("nextToken") or page.get("nextMarker")
        if not token:
            return items
        kw["nextToken" if "nextToken" in page else "marker"] = token


def backend(url):
    """What moto holds of the fleet: {things, certificates, policies, thing_principals, cert_policies}."""
    iot = local_aws.iot_client(url)
    things = [t["thingName"] for t in paged(iot.list_things, "things", maxResults=250)]
    certs = paged(iot.list_certificates, "certificates", pageSize=250)
    policies = [p["policyName"] for p in paged(iot.list_policies, "policies", pageSize=250)]
    return {
        "things": things,
        "certificates": [(c["certificateArn"], c["status"]) for c in certs],
        "policies": policies,
        "thing_principals": {t: iot.list_thing_principals(thingName=t)["principals"] for t in things},
        "cert_policies": {c["certificateArn"]: [p["policyName"] for p in
                                                iot.list_attached_policies(target=c["certificateArn"])["policies"]]
                          for c in certs},
    }


def check_applied(held, devices):
    """Problems (strings) with what moto holds after apply: every device present once and wired up."""
    problems = []
    if len(held["things"]) != devices or len(set(held["things"])) != devices:
        problems.append(f"{len(held['things'])} things, expected {devices}")
    if len(held["certificates"]) != devices:
        problems.append(f"{len(held['certificates'])} certificates, expected {devices}")
    if len(held["policies"]) != devices:
        problems.append(f"{len(held['policies'])} policies, expected {devices}")
    inactive = [arn for arn, status in held["certificates"] if status != "ACTIVE"]
    if inactive:
        problems.append(f"{len(inactive)} certificates not ACTIVE")
    wrong = [t for t, p in held["thing_principals"].items() if len(p) != 1]
    if wrong:
        problems.append(f"{len(wrong)} things without exactly one principal (e.g. {wrong[0]})")
    used = [p[0] for p in held["thing_principals"].values() if len(p) == 1]
    if len(set(used)) != len(used):
        problems.append("a certificate is attached to more than one thing")
    for thing, principals in held["thing_principals"].items():
        if len(principals) == 1 and held["cert_policies"].get(principals[0]) != [f"{thing}-walled-garden"]:
            problems.append(f"certificate of {thing} has policies {held['cert_policies'].get(principals[0])}")
            break
    return problems


def check_destroyed(held):
    left = {k: len(held[k]) for k in ("things", "certificates", "policies") if held[k]}
    return [f"left after destroy: {left}"] if left else []


# --- one run ---------------------------------------------------------------------------------------------------

ERROR_RE = re.compile(r"^[│ ]*Error: ", re.M)
COUNT_RE = re.compile(r"Resources: (\d+) (?:added|destroyed)")


def run_clis(exe, env, runs, *args):
    """Runs `exe -chdir=WORKDIR args` for every (WORKDIR, LOG) of `runs` at once, each writing its stdout and
    stderr to its LOG; [(exit status, wall seconds)] in the order of `runs`.  Interrupted, every CLI still
    running gets SIGINT, so that it stops its providers."""
    start = time.monotonic()
    procs = []
    try:
        for workdir, log in runs:
            with open(log, "w") as out:
                procs.append(subprocess.Popen([str(exe), f"-chdir={workdir}", *args], env=env, stdout=out,
                                              stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL))
        ended = [None] * len(procs)
        while None in ended:
            if time.monotonic() - start > CLI_TIMEOUT:
                raise TimeoutError(f"{exe.name} {args[0]} ran over {CLI_TIMEOUT} s")
            time.sleep(0.1)
            for k, proc in enumerate(procs):
                if ended[k] is None and proc.poll() is not None:
                    ended[k] = time.monotonic() - start
    except BaseException:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        raise
    return [(proc.returncode, wall) for proc, wall in zip(procs, ended)]


def phase(exe, dirs, env, proxy, sub, parallelism, logs, label):
    """One apply or destroy of every root module in `dirs` at once: its figures, with the proxy's
    per-operation counts over it."""
    args = [sub, "-input=false", "-no-color", "-auto-approve"]
    if parallelism != "default":
        args.append(f"-parallelism={parallelism}")
    names = [f"{label}-{sub}.log"] if len(dirs) == 1 else [f"{label}-{sub}-shard{k}.log" for k in range(len(dirs))]
    runs = [(d, logs / name) for d, name in zip(dirs, names)]
    proxy.reset_stats()
    start = time.monotonic()
    ended = run_clis(exe, env, runs, *args)
    wall = time.monotonic() - start
    shards = []
    for (_, log), (status, shard_wall) in zip(runs, ended):
        text = log.read_text()
        counts = COUNT_RE.findall(text)
        shards.append({"exit": status, "wall_s": shard_wall, "errors": len(ERROR_RE.findall(text)),
                       "resources": int(counts[-1]) if counts else 0, "log": str(log)})
    ops = proxy.stats()
    return {"exit": next((s["exit"] for s in shards if s["exit"]), 0), "wall_s": wall,
            "errors": sum(s["errors"] for s in shards), "resources": sum(s["resources"] for s in shards),
            "shards": shards, "requests": sum(o["forwarded"] for o in ops.values()),
            "throttled": sum(o["throttled"] for o in ops.values()), "operations": ops}


def failures(p):
    """Errors, non-zero exits and out-of-band problems of one apply or destroy."""
    exits = [s["exit"] for s in p["shards"]] if "shards" in p else [p["exit"]]
    return p["errors"] + sum(e != 0 for e in exits) + len(p["problems"])


def busiest(ops):
    """The operation whose requests need the longest at its quota (of equals, the most throttled one), with
    its achieved share of the quota."""
    limited = {op: o for op, o in ops.items() if o["quota"]}
    if not limited:
        return None
    op = max(limited, key=lambda k: (limited[k]["forwarded"] / limited[k]["quota"], limited[k]["throttled"]))
    o = limited[op]
    return {"operation": op, "tps": o["tps"], "quota": o["quota"],
            "share": (o["tps"] or 0.0) / o["quota"]}


def one_run(cli, exe, env, parallelism, sizes, stand_ins, proxy, scratch, logs):
    moto_url, ca_url, ca_pem = stand_ins
    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"), timeout=30).read()
    run = Path(tempfile.mkdtemp(prefix=f"{cli}-{parallelism}-", dir=scratch))
    dirs = [run / f"shard{k}" for k in range(len(sizes))]
    for k, (workdir, devices) in enumerate(zip(dirs, sizes)):
        write_config(workdir, devices, sum(sizes[:k]), proxy.url, ca_url, ca_pem)
    inits = run_clis(exe, env, [(d, d / "init.log") for d in dirs], "init", "-input=false", "-no-color")
    for workdir, (status, _) in zip(dirs, inits):
        if status != 0:
            raise SystemExit(f"{cli} init failed in {workdir}:\n{(workdir / 'init.log').read_text()}")
    devices = sum(sizes)
    label = f"{cli}-p{parallelism}"
    print(f"fleet: {label}: apply {devices} devices in {len(sizes)} root module(s)", flush=True)
    apply = phase(exe, dirs, env, proxy, "apply", parallelism, logs, label)
    apply["problems"] = check_applied(backend(moto_url), devices)
    print(f"fleet: {label}: apply {apply['wall_s']:.0f} s, exit {apply['exit']}, "
          f"{apply['throttled']} throttled; destroy", flush=True)
    destroy = phase(exe, dirs, env, proxy, "destroy", parallelism, logs, label)
    destroy["problems"] = check_destroyed(backend(moto_url))
    print(f"fleet: {label}: destroy {destroy['wall_s']:.0f} s, exit {destroy['exit']}, "
          f"{destroy['throttled']} throttled", flush=True)
    shutil.rmtree(run)
    for p in (apply, destroy):
        p["busiest"] = busiest(p["operations"])
    return {"cli": cli, "version": tool_version(exe), "parallelism": parallelism, "apply": apply,
            "destroy": destroy}


# --- the report --------------------------------------------------------------------------------------------------

def fmt(x, digits=1):
    return "–" if x is None else f"{x:.{digits}f}"


def met(ok):
    return "**met**" if ok else "**missed**"


def phase_table(p):
    lines = ["| operation | forwarded | throttled | busy window (s) | achieved TPS | quota | % of quota |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for op, o in p["operations"].items():
        share = f"{100 * o['tps'] / o['quota']:.0f} %" if o["quota"] and o["tps"] else "–"
        lines.append(f"| {op} | {o['forwarded']} | {o['throttled']} | {fmt(o['window'])} | {fmt(o['tps'])} "
                     f"| {fmt(o['quota'], 0) if o['quota'] else 'none'} | {share} |")
    return lines


def report(doc):
    c = doc["config"]
    runs = doc["runs"]
    fails = sum(failures(r[p]) for r in runs for p in ("apply", "destroy"))
    phases = [(r, p) for r in runs for p in ("apply", "destroy")]
    reached = [r[p]["busiest"]["share"] >= TARGET for r, p in phases if r[p]["busiest"]]
    hit = sorted({op for r, p in phases for op, o in r[p]["operations"].items()
                  if o["quota"] == c["write_read_quota"] and o["throttled"]})
    out = ["### Fleet throughput (examples/iot-device × %d, behind a throttling proxy)" % c["devices"], ""]
    out += [f"`make bench-fleet` ran `{', '.join(sorted({r['version'] for r in runs}))}` with this tree's providers "
            f"(commit `{c.get('commit', 'not recorded')}`) on examples/iot-device (its .tf files, less the provider block, as a module) × {c['devices']} "
            f"({c['devices'] * 8} resources and {c['devices'] * 3} data sources), apply then destroy, at "
            f"-parallelism {', '.join(map(str, c['parallelism']))} (10 is the CLIs' default).  moto plays AWS IoT "
            "and STS; a proxy in front of it (tests/e2e/iot_proxy.py ThrottleProxy) holds each IoT operation to "
            "a quota with a one-second token bucket and answers ThrottlingException (HTTP 400, x-amzn-ErrorType, "
            "JSON message, as botocore's IoT model has it) above it.  After each apply and destroy, boto3 checks "
            "moto directly: every thing, certificate and policy present once and wired up, then nothing left.", ""]
    sizes = c.get("shards", [c["devices"]])
    if len(sizes) > 1:
        out += [f"The {c['devices']} devices were {len(sizes)} root modules of {', '.join(map(str, sizes))} devices "
                "(each its own directory, state file and CLI process).  Their applies were started together, then "
                "their destroys, all against the same proxy and moto, each CLI at the run's -parallelism, so up to "
                f"{len(sizes)} × that many calls were in flight; a phase's wall time runs from the start of the "
                "first CLI to the end of the last.  Why not one root module: Terraform's local backend serializes "
                "and rewrites the whole state file after every resource instance it changes, so the CPU of one "
                "root module's apply grows with the square of its size (bench/fleet/scaling.md has the "
                f"measurements).  At most {c['shard_size']} devices go in one root module (fleet.py --shard-size).",
                ""]
    out += [f"Quotas: {fmt(c['write_read_quota'], 0)}/s for every create, attach, describe, get, update, detach "
            f"and delete call, {fmt(c['list_quota'], 0)}/s for every List call (the issue's AWS-like examples, "
            f"100/s and 10/s, × {c['quota_scale']:g}); STS unlimited.  moto alone served "
            f"{c['moto_rps']:.0f} requests/s unthrottled (CreateThing + DescribeThing, {PROBE_THREADS} clients, "
            f"{PROBE_SECONDS} s, on this shared 2-core machine), so it serves the List quotas many times over.  "
            + (f"Throttled at {fmt(c['write_read_quota'], 0)}/s: {', '.join(hit)}." if hit else
               f"No {fmt(c['write_read_quota'], 0)}/s operation was ever throttled: their pace is the CLI's.")
            + "", ""]
    out += [f"- 0 failed resources: {met(fails == 0)} ({fails} errors, non-zero exits or out-of-band "
            "problems over all runs).",
            f"- ≥ {TARGET * 100:.0f} % of the busiest operation's quota: {met(reached and all(reached))} "
            f"(reached in {sum(reached)} of {len(reached)} applies and destroys; per run below).", ""]
    idle = sum(1 for r, p in phases if r[p]["busiest"] and not r[p]["operations"][r[p]["busiest"]["operation"]]
               ["throttled"])
    if idle:
        out += [f"In {idle} of {len(phases)} applies and destroys the busiest operation was never throttled: "
                "the CLI never asked for more than its quota, so the CLI's pace, not the quota, set the "
                "throughput there.", ""]
    out += ["| CLI | -parallelism | phase | resources | failures | requests | throttled | busiest operation "
            f"| its TPS / quota | ≥ {TARGET * 100:.0f} % | wall time (s) |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: |"]
    for r in runs:
        for p in ("apply", "destroy"):
            f = r[p]
            b = f["busiest"] or {"operation": "–", "tps": None, "quota": None, "share": 0.0}
            out.append(f"| {r['cli']} | {r['parallelism']} | {p} | {f['resources']} | {failures(f)} | {f['requests']} "
                       f"| {f['throttled']} | {b['operation']} | {fmt(b['tps'])} / {fmt(b['quota'], 0)} "
                       f"({100 * b['share']:.0f} %) | {met(b['share'] >= TARGET)} | {f['wall_s']:.0f} |")
    out.append("")
    if len(sizes) > 1:
        out += [f"- {r['cli']}, -parallelism {r['parallelism']}, {p}: the root modules' CLIs ended after "
                + ", ".join(f"{s['wall_s']:.0f}" for s in r[p]["shards"]) + " s"
                for r in runs for p in ("apply", "destroy")] + [""]
    for r in runs:
        for p in ("apply", "destroy"):
            out += [f"{r['cli']}, -parallelism {r['parallelism']}, {p}:", ""] + phase_table(r[p]) + [""]
            if r[p]["problems"]:
                out += [f"Out-of-band problems: {'; '.join(r[p]['problems'])}", ""]
    out += ["Achieved TPS counts an operation's forwarded requests after the first over the time from its first "
            "to its last forwarded request (its busy window); a one-second burst lets it pass 100 % slightly.  "
            "Figures from a shared machine are noisy.", ""]
    return "\n".join(out)


def rebuild_report(out):
    """fleet.md again from fleet.json, with the rates and the busiest operations derived anew."""
    doc = json.loads((out / "fleet.json").read_text())
    for r in doc["runs"]:
        for p in ("apply", "destroy"):
            for o in r[p]["operations"].values():
                o["tps"] = achieved_rate(o["forwarded"], o["window"])
            r[p]["busiest"] = busiest(r[p]["operations"])
    (out / "fleet.json").write_text(json.dumps(doc, indent=2) + "\n")
    (out / "fleet.md").write_text(report(doc))


# --- main -------------------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--devices", type=int, default=500)
    ap.add_argument("--parallelism", default="10 50")
    ap.add_argument("--clis", default="terraform")
    ap.add_argument("--quota-scale", type=float, default=1.0)
    ap.add_argument("--shard-size", type=int, default=100,
                    help="most devices in one root module: more are split into root modules applied together")
    ap.add_argument("--report-only", action="store_true")
    a = ap.parse_args()
    if a.report_only:
        rebuild_report(a.out)
        return
    parallelism = a.parallelism.split()
    if a.devices < 1 or a.shard_size < 1 or a.quota_scale <= 0 or not parallelism or any(
            p != "default" and not (p.isdigit() and int(p) > 0) for p in parallelism):
        ap.error("--devices, --shard-size and --quota-scale must be positive; "
                 "--parallelism: positive integers or 'default'")
    clis = a.clis.split()
    for cli in clis:
        if cli not in CLIS or not os.access(CLIS[cli], os.X_OK):
            ap.error(f"CLI {cli!r} not found (known: {', '.join(CLIS)}; run `make deps`)")

    # SIGTERM and SIGHUP end the benchmark the way Ctrl-C does: the CLI and the servers are stopped.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    out = a.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    logs = out / "fleet-logs"
    logs.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="fleet-"))
    procs, ca, proxy = [], None, None
    try:
        mirror = scratch / "mirror"
        subprocess.run(["make", "-s", "-C", str(REPO), "install", f"PLUGIN_DIR={mirror}"], check=True,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        rc = scratch / "cli.tfrc"
        rc.write_text("provider_installation {\n"
                      f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["thingform.local/*/*"]\n  }}\n'
                      '  direct {\n    exclude = ["thingform.local/*/*"]\n  }\n}\n')
        env = clean_env(TF_CLI_CONFIG_FILE=str(rc), HOME=str(scratch),
                        AWS_CONFIG_FILE=str(scratch / "none"), AWS_SHARED_CREDENTIALS_FILE=str(scratch / "none"),
                        AWS_EC2_METADATA_DISABLED="true")
        env = {k: v for k, v in env.items() if not k.startswith("AWS_") or k in (
            "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_EC2_METADATA_DISABLED")}

        moto_log = open(scratch / "moto.log", "w")
        proc, moto_url = local_aws.start_moto(moto_log)
        procs.append(proc)
        pki = local_aws.write_pki(scratch)
        ca = local_aws.CaServer(pki)
        rps = probe_moto(moto_url)
        print(f"fleet: moto serves {rps:.0f} requests/s unthrottled", flush=True)
        listed, default = quotas(a.quota_scale)
        proxy = ThrottleProxy(moto_url, quotas=listed, default=default).__enter__()

        sizes = shard_sizes(a.devices, a.shard_size)
        doc = {"config": {"commit": git_commit(), "devices": a.devices, "shard_size": a.shard_size, "shards": sizes,
                          "parallelism": parallelism, "clis": clis,
                          "quota_scale": a.quota_scale, "write_read_quota": WRITE_READ_QUOTA * a.quota_scale,
                          "list_quota": LIST_QUOTA * a.quota_scale, "moto_rps": rps, "target_share": TARGET},
               "runs": []}
        for cli in clis:
            for p in parallelism:
                doc["runs"].append(one_run(cli, CLIS[cli], env, p, sizes, (moto_url, ca.url, pki.ca_pem),
                                           proxy, scratch, logs))
                # After every run, so that an interrupted benchmark still leaves the runs it finished.
                (out / "fleet.json").write_text(json.dumps(doc, indent=2) + "\n")
                (out / "fleet.md").write_text(report(doc))
                print(f"fleet: wrote {out / 'fleet.md'} and {out / 'fleet.json'}", flush=True)
    finally:
        if proxy:
            proxy.__exit__(None, None, None)
        if ca:
            ca.close()
        for proc in procs:
            local_aws.stop(proc)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
