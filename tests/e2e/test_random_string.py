"""random_string and random_password through the real CLIs: character classes, minimums,
override_special, bcrypt_hash, number/numeric, import, keepers and state upgrades (bad input:
test_bad_input.py)."""

import ctypes
import ctypes.util
import json
import string

import pytest

from conftest import required_providers

PROVIDER = required_providers("random")
SPECIAL = "!@#$%&*()-_=+[]{}<>:?"
CLASSES = {
    "upper": set(string.ascii_uppercase),
    "lower": set(string.ascii_lowercase),
    "numeric": set(string.digits),
    "special": set(SPECIAL),
}
REPLACE = [["delete", "create"], ["create", "delete"]]


def resource(rtype, name, **args):
    def hcl(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str) and not v.startswith("{"):
            return json.dumps(v)
        return str(v)

    body = "".join(f"  {k} = {hcl(v)}\n" for k, v in args.items())
    return f'resource "{rtype}" "{name}" {{\n{body}}}\n'


def count(text, chars):
    return sum(ch in chars for ch in text)


# The system's crypt(3) (libxcrypt, present on every Debian machine) checks bcrypt hashes; it takes
# bytes, so a password cut at bcrypt's 72 bytes inside a UTF-8 character is checked as it is hashed.
LIBCRYPT = ctypes.CDLL(ctypes.util.find_library("crypt") or "libcrypt.so.1")
LIBCRYPT.crypt.restype = ctypes.c_char_p
LIBCRYPT.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]


def crypt(password, setting):
    out = LIBCRYPT.crypt(password.encode()[:72], setting.encode())
    return out.decode() if out else ""


def bcrypt_ok(password, hashed):
    return hashed.startswith("$2a$10$") and len(hashed) == 60 and crypt(password, hashed) == hashed


@pytest.mark.parametrize("rtype", ["random_string", "random_password"])
def test_character_classes(cli, rtype):
    configs = {
        "plain": dict(length=40),
        "mins": dict(length=12, min_upper=3, min_lower=3, min_numeric=3, min_special=3),
        "letters": dict(length=64, special=False, numeric=False),
        "digits_only": dict(length=30, upper=False, lower=False, special=False),
        "override": dict(length=50, override_special="_%@", min_special=5),
        "utf8": dict(length=25, upper=False, lower=False, numeric=False, override_special="äöü€"),
        "legacy": dict(length=16, number=False, special=False),
        "min_off": dict(length=8, upper=False, min_upper=2),
    }
    cli.write_tf(PROVIDER + "".join(resource(rtype, k, **v) for k, v in configs.items()))
    cli.init()
    cli.apply()
    assert cli.plan_exit_code() == 0
    res = {k.split(".")[1]: v for k, v in cli.resources().items()}
    for name, attrs in res.items():
        result = attrs["result"]
        assert len(result) == configs[name]["length"], (name, result)
        assert attrs["id"] == ("none" if rtype == "random_password" else result)
        assert attrs["number"] == attrs["numeric"], name
    assert all(count(res["plain"]["result"], CLASSES[c]) for c in ("upper", "lower")), "40 characters without both cases"
    assert set(res["plain"]["result"]) <= set().union(*CLASSES.values())
    for c in CLASSES:
        assert count(res["mins"]["result"], CLASSES[c]) >= 3, (c, res["mins"]["result"])
    assert set(res["letters"]["result"]) <= CLASSES["upper"] | CLASSES["lower"]
    assert set(res["digits_only"]["result"]) <= CLASSES["numeric"]
    over = res["override"]["result"]
    assert count(over, "_%@") >= 5 and not set(over) & (set(SPECIAL) - set("_%@")), over
    assert set(res["utf8"]["result"]) <= set("äöü€"), res["utf8"]["result"]
    assert (res["legacy"]["number"], res["legacy"]["numeric"]) == (False, False)
    assert not set(res["legacy"]["result"]) & (CLASSES["numeric"] | CLASSES["special"])
    assert count(res["min_off"]["result"], CLASSES["upper"]) >= 2, "min_upper counts even when upper is off"
    assert len({a["result"] for a in res.values()}) == len(res)
    if rtype == "random_password":
        for name, attrs in res.items():
            assert bcrypt_ok(attrs["result"], attrs["bcrypt_hash"]), name
        assert not bcrypt_ok(res["plain"]["result"], res["mins"]["bcrypt_hash"])
        shown = cli.run("state", "show", f"{rtype}.plain").stdout
        assert res["plain"]["result"] not in shown, "the password was printed"


@pytest.mark.parametrize("rtype", ["random_string", "random_password"])
def test_import_then_no_changes(cli, rtype):
    secret = "Imp0rted-Value_x"
    cli.write_tf(PROVIDER + resource(rtype, "imp", length=len(secret)))
    cli.init()
    cli.import_(f"{rtype}.imp", secret)
    attrs = cli.resources()[f"{rtype}.imp"]
    assert attrs["result"] == secret
    assert attrs["id"] == ("none" if rtype == "random_password" else secret)
    assert (attrs["length"], attrs["special"], attrs["upper"], attrs["lower"], attrs["number"], attrs["numeric"]) == (
        len(secret), True, True, True, True, True)
    assert [attrs[f"min_{c}"] for c in ("upper", "lower", "numeric", "special")] == [0, 0, 0, 0]
    if rtype == "random_password":
        assert bcrypt_ok(secret, attrs["bcrypt_hash"])
    assert "No changes." in cli.plan().stdout
    assert cli.plan_exit_code() == 0


# (config args, planned actions after the first apply of dict(length=10))
CHANGES = [
    (dict(length=10, keepers='{ a = "1" }'), REPLACE),
    (dict(length=10, keepers='{ a = "1" }'), None),
    (dict(length=10, keepers='{ a = "1", b = null }'), [["update"]]),  # a null value does not replace
    (dict(length=10, keepers='{ a = "2" }'), REPLACE),
    (dict(length=10, keepers='{ a = "2" }', numeric=True), None),  # numeric already true
    (dict(length=10, keepers='{ a = "2" }', number=False), REPLACE),
    (dict(length=10, keepers='{ a = "2" }', numeric=False), None),  # the same as number = false
    (dict(length=10, keepers='{ a = "2" }', numeric=False, override_special=""), REPLACE),
    (dict(length=10, keepers='{ a = "2" }', numeric=False), [["update"]]),  # "" to unset: no new value
    (dict(length=11, keepers='{ a = "2" }', numeric=False), REPLACE),
]


@pytest.mark.parametrize("rtype", ["random_string", "random_password"])
def test_changes_and_keepers(cli, rtype):
    cli.write_tf(PROVIDER + resource(rtype, "k", length=10))
    cli.init()
    cli.apply()
    for args, expected in CHANGES:
        cli.write_tf(PROVIDER + resource(rtype, "k", **args))
        before = cli.resources()[f"{rtype}.k"]["result"]
        if expected is None:
            assert cli.plan_exit_code() == 0, f"{args} planned a change"
            continue
        actions = cli.actions()[f"{rtype}.k"]
        assert actions in expected, f"{args}: planned {actions}, want {expected}"
        cli.apply()
        after = cli.resources()[f"{rtype}.k"]
        assert (after["result"] != before) == (expected is REPLACE), args
        assert cli.plan_exit_code() == 0, f"{args}: not settled after apply"
    assert not set(after["result"]) & CLASSES["numeric"]


def old_state(resources):
    return {"version": 4, "terraform_version": "1.5.0", "serial": 1, "lineage": "d1a4b7e0-0000-4000-8000-000000000001",
            "outputs": {}, "resources": [
                {"mode": "managed", "type": rtype, "name": "old",
                 "provider": 'provider["thingform.local/thingform/random"]',
                 "instances": [{"schema_version": version, "attributes": attrs, "sensitive_attributes": []}]}
                for rtype, version, attrs in resources]}


def test_state_upgrades(cli):
    """Old schema versions: string v1, password v0 (no bcrypt_hash) and v2 (a hash of another string);
    after the upgrade a plan shows no changes and the password's hash matches it."""
    v1 = {"id": "abcDEF123!", "keepers": None, "length": 10, "special": True, "upper": True, "lower": True,
          "number": True, "min_numeric": 0, "min_upper": 0, "min_lower": 0, "min_special": 0,
          "override_special": None, "result": "abcDEF123!"}
    pw0 = dict(v1, id="none", result="pw0-Secret", length=None, min_upper=None, special=None)
    pw2 = dict(v1, id="none", result="pw2-Secret", numeric=True, bcrypt_hash=crypt("another", "$2a$10$" + "a" * 22))
    states = [("random_string", 1, v1), ("random_password", 0, pw0), ("random_password", 2, pw2)]
    for rtype, version, attrs in states:
        work = cli.fresh(f"{rtype}-v{version}")
        work.write_tf(PROVIDER + resource(rtype, "old", length=10))
        (work.workdir / "terraform.tfstate").write_text(json.dumps(old_state([(rtype, version, attrs)])))
        work.init()
        assert work.plan_exit_code() == 0, f"{rtype} v{version}: the upgraded state plans changes"
        work.run("apply", "-refresh-only", "-auto-approve")
        now = work.resources()[f"{rtype}.old"]
        assert now["result"] == attrs["result"]
        assert (now["numeric"], now["length"], now["min_upper"], now["special"]) == (True, 10, 0, True)
        if rtype == "random_password":
            assert bcrypt_ok(attrs["result"], now["bcrypt_hash"]), f"v{version}: {now['bcrypt_hash']}"
        state = json.loads((work.workdir / "terraform.tfstate").read_text())
        assert state["resources"][0]["instances"][0]["schema_version"] == (2 if rtype == "random_string" else 3)


def test_string_version_0_is_refused(cli):
    attrs = {"id": "x", "result": "x", "length": 1}
    cli.write_tf(PROVIDER + resource("random_string", "old", length=1))
    (cli.workdir / "terraform.tfstate").write_text(json.dumps(old_state([("random_string", 0, attrs)])))
    cli.init()
    r = cli.plan(check=False)
    assert r.rc == 1 and "Unable to Upgrade Resource State" in r.stderr, r.output
