"""A fleet of 20 devices applied through a misbehaving network, and with the provider killed mid-apply.

Each device is a thing, a certificate with generated keys, the thing's principal attachment and the
shared policy's attachment.  The provider talks to moto through iot_proxy.FaultProxy.

test_fleet_under_fault: one run per fault (iot_proxy.FAULTS), both CLIs.  15% of the requests are hit
(throttling 8%: each throttle also slows the operation's client-side rate limiter, and 15% kept a run
near a minute), the provider has max_retries = 4.  The apply either succeeds or fails with diagnostics that each
name the IoT operation.  Then Terraform's state is checked against moto (listed with boto3):
- every certificate, policy and thing in moto is in the state, except those whose create answer the
  proxy destroyed after moto had made them (the proxy knows their ids: `lost`);
- no device has more than one certificate, no certificate is both in the state and lost.
Then what a user does for each lost object (below), a clean apply that must converge (the next plan is
empty, every thing has exactly its own certificate), and a destroy that must leave moto empty.

test_kill_mid_apply: the proxy holds the answers of CreateKeysAndCertificate and CreateThing after the
first few (moto has made the objects), the provider process is SIGKILLed, the next apply must converge.

What happens, and what a user must do (measured by these tests).  After a kill the CLI reports the
plugin's failure for the resources in flight and still writes the state with every resource that was
completed; the user runs apply again, after the steps below.

- aws_iot_thing: the thing's name is its id and CreateThing of an existing identical thing succeeds
  (AWS; moto replaces it), so a thing whose answer was lost - by a kill or by a broken connection - is
  adopted by the next apply.  Nothing to do.
- aws_iot_certificate with generated keys (CreateKeysAndCertificate): AWS has no idempotency token for
  it, so a create whose answer never reached the provider leaves a certificate nobody can use (its
  private key existed only in that answer).  After a kill: exactly the creates in flight.  Under a
  broken connection or an unreadable answer the provider does not send the create again (the SDKs do,
  and each lost attempt would leave one more, silently); the apply fails with "Certificate may exist
  without a record", which gives the time and the commands.  The state never has two certificates for
  one device.  The user finds them as the ids in `aws iot list-certificates` that no state holds
  (`terraform show -json` lists the ids held) and deletes each:
  `aws iot update-certificate --certificate-id ID --new-status INACTIVE`, then
  `aws iot delete-certificate --certificate-id ID`.  Importing one is possible but useless for a device:
  its private_key stays null.  Left alone, an orphan costs nothing but clutter (INACTIVE or not, it is
  attached to nothing), yet it is a valid credential for whoever had the key - nobody, here.
- aws_iot_certificate from certificate_pem (RegisterCertificateWithoutCA / RegisterCertificate): the
  provider adopts a certificate AWS already has with the same PEM (AWS answers
  ResourceAlreadyExistsException with its id), so the next apply converges by itself.
- aws_iot_certificate from csr (CreateCertificateFromCsr): every call issues a new certificate, as with
  generated keys, and it is not sent again either; but the key is the user's, so a lost one can be
  imported by id (`terraform import aws_iot_certificate.NAME ID`) instead of being deleted.
- aws_iot_policy: CreatePolicy of an existing name fails (ResourceAlreadyExistsException, named in
  the diagnostic), and the provider does not adopt a policy it cannot tell apart from someone else's.
  The user imports it: `terraform import aws_iot_policy.NAME POLICY_NAME`.
- aws_iot_thing_principal_attachment, aws_iot_policy_attachment: attaching twice is harmless, the next
  apply attaches again.  Nothing to do.
- A create whose object AWS made but whose later step failed is kept in the state, tainted, and the
  next apply replaces it (the core rule "never lose a resource").
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from aws_fixtures import PROVIDER, aws_env, iot_fleet_tf, moto, moto_server, provider_block  # noqa: F401 (fixtures)
from iot_proxy import FAULTS, FaultProxy

DEVICES = 20
def fleet_config(url, devices=True):
    """The shared policy and, with `devices`, the 20 devices, through the provider at `url`."""
    return (PROVIDER + provider_block(endpoint=url, skip=True, max_retries=4)
            + iot_fleet_tf(DEVICES if devices else 0, "fault", "fault-policy"))


def backend(iot):
    """What moto holds: {"cert": ids, "policy": names, "thing": names}, and each thing's principals."""
    things = {t["thingName"] for t in iot.list_things(maxResults=250)["things"]}
    return ({"cert": {c["certificateId"] for c in iot.list_certificates(pageSize=250)["certificates"]},
             "policy": {p["policyName"] for p in iot.list_policies()["policies"]},
             "thing": things},
            {t: iot.list_thing_principals(thingName=t)["principals"] for t in things})


def in_state(cli):
    """The same three sets from Terraform's state (tainted instances included)."""
    held = {"cert": set(), "policy": set(), "thing": set()}
    for address, values in cli.resources().items():
        for prefix, kind, key in (("aws_iot_certificate.", "cert", "id"), ("aws_iot_policy.", "policy", "name"),
                                  ("aws_iot_thing.", "thing", "name")):
            if address.startswith(prefix):
                held[kind].add(values[key])
    return held


def check_state_matches_backend(cli, iot, lost):
    """No orphan but the lost ones, no duplicate; returns the orphans per kind."""
    have, principals = backend(iot)
    state = in_state(cli)
    orphans = {kind: have[kind] - state[kind] for kind in have}
    for kind in have:
        assert state[kind] <= have[kind], f"{kind}s in the state but not in moto: {state[kind] - have[kind]}"
        if kind != "thing":  # a lost thing is adopted by the retried CreateThing
            assert not state[kind] & lost[kind], f"{kind}s both lost and in the state: {state[kind] & lost[kind]}"
    assert orphans["cert"] == lost["cert"], "a certificate was orphaned without the proxy losing its answer"
    assert orphans["policy"] == lost["policy"]
    assert orphans["thing"] <= lost["thing"]
    for thing, ps in principals.items():
        assert len(ps) <= 1, f"{thing} has {len(ps)} certificates"
    return orphans


def remedy(cli, iot, orphans):
    """What the module docstring tells a user to do: delete lost certificates, import a lost policy
    (a lost thing is adopted by the next apply)."""
    for cert in orphans["cert"]:
        iot.update_certificate(certificateId=cert, newStatus="INACTIVE")
        iot.delete_certificate(certificateId=cert)
    for name in orphans["policy"]:
        cli.import_("aws_iot_policy.fleet", name)


def converge_and_destroy(cli, iot):
    """A clean apply converges to one certificate per device; destroy leaves moto empty."""
    cli.apply()
    assert cli.plan_exit_code() == 0
    state = cli.resources()
    have, principals = backend(iot)
    assert have["thing"] == {f"fault-{i:02d}" for i in range(DEVICES)}
    assert len(have["cert"]) == DEVICES and have["policy"] == {"fault-policy"}
    for i in range(DEVICES):
        assert principals[f"fault-{i:02d}"] == [state[f"aws_iot_certificate.device[{i}]"]["arn"]]
    cli.destroy()
    have, _ = backend(iot)
    assert have == {"cert": set(), "policy": set(), "thing": set()}


DIAG = re.compile(r"iot [A-Z][A-Za-z0-9]+ (failed|answered without)")
UNRECORDED = "Error: Certificate may exist without a record"


@pytest.mark.parametrize("fault", FAULTS)
def test_fleet_under_fault(cli, moto, tmp_path, fault):
    cli.env = {**cli.env, **aws_env(tmp_path)}
    iot = moto.client("iot")
    with FaultProxy(moto.url, fault=fault, fraction=0.08 if fault == "throttle" else 0.15, seed=13) as proxy:
        cli.write_tf(fleet_config(proxy.url))
        cli.init()
        start = time.monotonic()
        r = cli.run("apply", "-auto-approve", check=False)
        took = time.monotonic() - start
        text = " ".join(r.output.split())
        assert "panic" not in text and "crash" not in text.lower() and "did not respond" not in text
        assert proxy.faulted > 0, "no fault was injected: the run proves nothing"
        if r.rc != 0:
            errors = text.split("Error: ")[1:]
            assert errors and all(DIAG.search(e) for e in errors), text
            assert "after 0 attempts" not in text, text
        orphans = check_state_matches_backend(cli, iot, proxy.lost)
        # every certificate made without the provider learning it is reported, with what to do;
        # a lost policy makes the apply fail on CreatePolicy (its retry, or its unreadable answer)
        assert r.output.count(UNRECORDED) >= len(proxy.lost["cert"]), r.output
        assert not proxy.lost["policy"] or (r.rc != 0 and "iot CreatePolicy failed" in text), text
        print(f"\nFAULT {cli.name} {fault}: apply rc={r.rc} in {took:.1f}s, {proxy.faulted} faults, "
              f"errors={len(text.split('Error: ')) - 1}, lost: "
              + ", ".join(f"{len(v)} {k}" for k, v in proxy.lost.items())
              + ", orphans: " + ", ".join(f"{len(v)} {k}" for k, v in orphans.items()))
        proxy.fault = None  # the remedy and what follows run on a sound network
        remedy(cli, iot, orphans)
        converge_and_destroy(cli, iot)


def test_lost_policy_answer_then_import(cli, moto, tmp_path):
    """moto makes the policy but its answer is lost: the retry fails with ResourceAlreadyExistsException
    (named with CreatePolicy); the import the docstring tells the user to run makes the next apply
    converge."""
    cli.env = {**cli.env, **aws_env(tmp_path)}
    iot = moto.client("iot")
    with FaultProxy(moto.url, fault="reset_after", fraction=1.0, kinds={"policy"}, limit=1) as proxy:
        cli.write_tf(fleet_config(proxy.url, devices=False))
        cli.init()
        r = cli.run("apply", "-auto-approve", check=False)
        text = " ".join(r.output.split())
        assert r.rc != 0 and proxy.lost["policy"] == {"fault-policy"}
        assert "iot CreatePolicy failed after 2 attempts: HTTP 409, ResourceAlreadyExistsException" in text, text
        assert cli.state_list() == [] and backend(iot)[0]["policy"] == {"fault-policy"}
        cli.import_("aws_iot_policy.fleet", "fault-policy")
        assert cli.plan_exit_code() == 0
        cli.destroy()
        assert backend(iot)[0]["policy"] == set()


def provider_pids(parent):
    """The aws provider processes among `parent`'s children (the plugin binary the CLI started)."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            exe = os.readlink(d / "exe")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and os.path.basename(exe).startswith("terraform-provider-aws"):
            pids.append(int(d.name))
    return pids


def test_kill_mid_apply(cli, moto, tmp_path):
    cli.env = {**cli.env, **aws_env(tmp_path)}
    iot = moto.client("iot")
    with FaultProxy(moto.url, hold={"cert": 6, "thing": 3}) as proxy:
        cli.write_tf(fleet_config(proxy.url))
        cli.init()
        # parallelism above what is held, so that held certificates never keep the things waiting
        argv = [str(cli.exe), "apply", "-input=false", "-no-color", "-auto-approve", "-parallelism=40"]
        proc = subprocess.Popen(argv, cwd=cli.workdir, env=cli.env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert proxy.held_event.wait(120), "no create was held"
            # a loaded machine may take a while to get past the first certificates
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not (proxy.creates["policy"] and
                                                       {k for k, _ in proxy.held} == {"cert", "thing"}):
                time.sleep(0.2)
            assert {k for k, _ in proxy.held} == {"cert", "thing"}, f"not both kinds held: {proxy.held}"
            # Every create answered before the holds has reached Terraform's core once the provider has had
            # nothing open but the held requests for a second (a fixed sleep was too short on a loaded machine).
            proxy.settled_held(timeout=30)
            pids = provider_pids(proc.pid)
            assert len(pids) == 1, f"aws provider processes under {cli.name}: {pids}"
            os.kill(pids[0], signal.SIGKILL)
            held = proxy.settled_held()
        finally:
            proxy.release.set()
            out = proc.communicate(timeout=120)[0]
        assert proc.returncode != 0, out
        assert {k for k, _ in held} == {"cert", "thing"}, held

        lost = {"cert": {i for k, i in held if k == "cert"}, "policy": set(),
                "thing": {i for k, i in held if k == "thing"}}
        orphans = check_state_matches_backend(cli, iot, lost)
        print(f"\nKILL {cli.name}: {proxy.creates['cert']} certificates and {proxy.creates['thing']} things "
              f"answered before the kill; in flight (held): {len(lost['cert'])} certificates, "
              f"{len(lost['thing'])} things; orphaned: {len(orphans['cert'])} certificates, "
              f"{len(orphans['thing'])} things, {len(orphans['policy'])} policies")
        assert orphans["thing"] == lost["thing"]

        proxy.hold = {}
        cli.apply()
        assert cli.plan_exit_code() == 0
        have, principals = backend(iot)
        state = in_state(cli)
        # the held things are adopted: the same names, one each, in the state now
        assert lost["thing"] <= state["thing"] and have["thing"] == state["thing"]
        assert len(state["thing"]) == DEVICES
        # one certificate per device; the lost ones are the only certificates no state holds
        assert have["cert"] - state["cert"] == lost["cert"] and len(state["cert"]) == DEVICES
        assert all(len(ps) == 1 for ps in principals.values())
        remedy(cli, iot, {"cert": lost["cert"], "policy": set()})
        converge_and_destroy(cli, iot)
