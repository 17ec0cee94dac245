"""random_bytes, random_integer, random_pet and random_shuffle through the real CLIs:
formats and randomness, seeds, import where upstream has it, keepers, validation."""

import base64
import collections
import re

import pytest

from conftest import required_providers

PROVIDER = required_providers("random")
REPLACE = {("delete", "create"), ("create", "delete")}
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def attrs_of(cli, rtype):
    return {k.split(".", 1)[1]: v for k, v in cli.resources().items() if k.startswith(rtype + ".")}


# --- random_bytes -------------------------------------------------------------------------------


def test_bytes_lifecycle_and_import(cli):
    cli.write_tf(PROVIDER + 'resource "random_bytes" "b" {\n  count  = 4\n  length = 32\n}\n'
                 'resource "random_bytes" "one" {\n  length = 1\n}\n')
    cli.init()
    plan = cli.plan().stdout
    assert "(sensitive value)" in plan
    cli.apply()
    assert cli.plan_exit_code() == 0
    res = attrs_of(cli, "random_bytes")
    seen = set()
    for name, a in res.items():
        data = base64.b64decode(a["base64"], validate=True)
        assert len(data) == a["length"] and a["hex"] == data.hex(), name
        seen.add(data)
    assert len(seen) == 5
    assert "(sensitive value)" in cli.run("state", "show", "random_bytes.one").stdout

    imp = cli.fresh("import")
    imp.write_tf(PROVIDER + 'resource "random_bytes" "imp" {\n  length = 5\n}\n')
    imp.init()
    imp.import_("random_bytes.imp", "AAECA/8=")
    a = imp.resources()["random_bytes.imp"]
    assert (a["length"], a["base64"], a["hex"], a["keepers"]) == (5, "AAECA/8=", "00010203ff", None)
    assert "No changes." in imp.plan().stdout
    for bad in ("AAECA/8", "AAECA_8=", "not base64"):
        r = imp.import_("random_bytes.other", bad, check=False)
        assert r.rc != 0, r.output


def test_bytes_keepers_replace_on_any_change(cli):
    """Unlike the other types, random_bytes' keepers replace on every change (upstream's RequiresReplace)."""
    def config(keepers):
        return PROVIDER + f'resource "random_bytes" "k" {{\n  length  = 8\n  keepers = {keepers}\n}}\n'

    cli.write_tf(config('{ a = "1" }'))
    cli.init()
    cli.apply()
    cli.write_tf(config('{ a = "1", b = null }'))
    assert tuple(cli.actions()["random_bytes.k"]) in REPLACE


# --- random_integer -----------------------------------------------------------------------------


def test_integer_range_seed_and_extremes(cli):
    cli.write_tf(PROVIDER + f"""
resource "random_integer" "die" {{
  count = 40
  min   = 1
  max   = 6
}}
resource "random_integer" "seeded" {{
  count = 2
  min   = -1000000000
  max   = 1000000000
  seed  = "fleet-7"
}}
resource "random_integer" "wide" {{
  count = 3
  min   = {INT64_MIN}
  max   = {INT64_MAX}
}}
resource "random_integer" "one" {{
  min = 42
  max = 42
}}
""")
    cli.init()
    cli.apply()
    assert cli.plan_exit_code() == 0
    res = attrs_of(cli, "random_integer")
    for a in res.values():
        assert a["id"] == str(a["result"])
    dice = [res[f"die[{i}]"]["result"] for i in range(40)]
    assert set(dice) <= set(range(1, 7)) and len(set(dice)) > 1, dice
    assert res["seeded[0]"]["result"] == res["seeded[1]"]["result"], "the same seed gave different numbers"
    assert res["seeded[0]"]["seed"] == "fleet-7"
    assert len({res[f"wide[{i}]"]["result"] for i in range(3)}) == 3
    assert all(INT64_MIN <= res[f"wide[{i}]"]["result"] <= INT64_MAX for i in range(3))
    assert res["one"]["result"] == 42


@pytest.mark.parametrize("import_id, config, expect", [
    ("5,1,10", "", (5, 1, 10, None)),
    ("-3,-7,0,my seed", '  seed = "my seed"\n', (-3, -7, 0, "my seed")),
])
def test_integer_import(cli, import_id, config, expect):
    lo, hi = expect[1], expect[2]
    cli.write_tf(PROVIDER + f'resource "random_integer" "imp" {{\n  min = {lo}\n  max = {hi}\n{config}}}\n')
    cli.init()
    cli.import_("random_integer.imp", import_id)
    a = cli.resources()["random_integer.imp"]
    assert (a["result"], a["min"], a["max"], a["seed"]) == expect
    assert a["id"] == import_id.split(",")[0]
    assert "No changes." in cli.plan().stdout


@pytest.mark.parametrize("bad", ["5,1", "x,1,10", "5,1,10,s,t", "5,1.5,10"])
def test_integer_import_rejects_bad_id(cli, bad):
    cli.write_tf(PROVIDER + 'resource "random_integer" "imp" {\n  min = 1\n  max = 10\n}\n')
    cli.init()
    r = cli.import_("random_integer.imp", bad, check=False)
    assert r.rc != 0 and "Import Random Integer Error" in r.stderr, r.output
    assert cli.state_list() == []


def test_integer_validation_and_keepers(cli):
    cli.write_tf(PROVIDER + 'resource "random_integer" "bad" {\n  min = 5\n  max = 4\n}\n')
    cli.init()
    r = cli.plan(check=False)
    assert r.rc == 1 and "must not be less than" in r.stderr, r.output
    cli.write_tf(PROVIDER + 'resource "random_integer" "bad" {\n  min = 1.5\n  max = 4\n}\n')
    r = cli.plan(check=False)
    assert r.rc == 1 and "whole number" in r.stderr, r.output

    def config(keepers):
        return PROVIDER + f'resource "random_integer" "k" {{\n  min = 0\n  max = 1000000\n  keepers = {keepers}\n}}\n'

    cli.write_tf(config('{ a = "1" }'))
    cli.apply()
    cli.write_tf(config('{ a = "1", b = null }'))
    assert cli.actions()["random_integer.k"] == ["update"]
    cli.apply()
    cli.write_tf(config('{ a = "2" }'))
    assert tuple(cli.actions()["random_integer.k"]) in REPLACE


def assert_no_import(cli, rtype, import_id, body=""):
    """Like upstream's, the type cannot be imported: the provider says so."""
    other = cli.fresh(f"import-{rtype}")
    other.write_tf(PROVIDER + f'resource "{rtype}" "imp" {{\n{body}}}\n')
    other.init()
    r = other.import_(f"{rtype}.imp", import_id, check=False)
    assert r.rc != 0 and "cannot be imported" in r.stderr, r.output


# --- random_pet ---------------------------------------------------------------------------------


def test_pet_shapes(cli):
    cli.write_tf(PROVIDER + """
resource "random_pet" "default" {
  count = 10
}
resource "random_pet" "one" {
  length = 1
}
resource "random_pet" "long" {
  length    = 5
  separator = "_"
}
resource "random_pet" "prefixed" {
  length    = 3
  prefix    = "web"
  separator = "."
}
""")
    cli.init()
    cli.apply()
    assert cli.plan_exit_code() == 0
    res = attrs_of(cli, "random_pet")
    word = re.compile(r"[a-z]+")
    for i in range(10):
        a = res[f"default[{i}]"]
        assert (a["length"], a["separator"], a["prefix"]) == (2, "-", None)
        parts = a["id"].split("-")
        assert len(parts) == 2 and all(word.fullmatch(p) for p in parts), a["id"]
    assert len({res[f"default[{i}]"]["id"] for i in range(10)}) > 5, "pet names repeat too often"
    assert word.fullmatch(res["one"]["id"])
    long_parts = res["long"]["id"].split("_")
    assert len(long_parts) == 5 and all(word.fullmatch(p) for p in long_parts), res["long"]["id"]
    pre = res["prefixed"]["id"].split(".")
    assert pre[0] == "web" and len(pre) == 4 and all(word.fullmatch(p) for p in pre[1:]), res["prefixed"]["id"]
    # the last word is an animal, the one before it an adjective: the lists differ, so across
    # every name made here the two positions never share a word
    animals = {a["id"].split(a["separator"])[-1] for a in res.values()}
    adjectives = {a["id"].split(a["separator"])[-2] for n, a in res.items() if n != "one"}
    assert not animals & adjectives, (animals, adjectives)


def test_pet_keepers_import_and_validation(cli):
    def config(keepers):
        return PROVIDER + f'resource "random_pet" "k" {{\n  keepers = {keepers}\n}}\n'

    cli.write_tf(config('{ a = "1" }'))
    cli.init()
    cli.apply()
    before = cli.resources()["random_pet.k"]["id"]
    cli.write_tf(config('{ a = "2" }'))
    assert tuple(cli.actions()["random_pet.k"]) in REPLACE
    cli.apply()
    assert cli.resources()["random_pet.k"]["id"] != before  # the same name again: 1 in ~90000
    assert_no_import(cli, "random_pet", "brave-otter")
    cli.write_tf(PROVIDER + 'resource "random_pet" "zero" {\n  length = 0\n}\n')
    r = cli.plan(check=False)
    assert r.rc == 1 and "length" in r.stderr, r.output


# --- random_shuffle -----------------------------------------------------------------------------

INPUT = ["a", "b", "c", "d", "e"]


def test_shuffle_counts_and_seed(cli):
    cli.write_tf(PROVIDER + f"""
locals {{
  input = {INPUT!r}
}}
resource "random_shuffle" "all" {{
  count = 6
  input = local.input
}}
resource "random_shuffle" "three" {{
  input        = local.input
  result_count = 3
}}
resource "random_shuffle" "twelve" {{
  input        = local.input
  result_count = 12
}}
resource "random_shuffle" "seeded" {{
  count        = 2
  input        = local.input
  seed         = "s1"
  result_count = 7
}}
resource "random_shuffle" "none" {{
  input        = local.input
  result_count = 0
}}
resource "random_shuffle" "empty" {{
  input = []
}}
""".replace("'", '"'))
    cli.init()
    cli.apply()
    assert cli.plan_exit_code() == 0
    res = attrs_of(cli, "random_shuffle")
    for a in res.values():
        assert a["id"] == "-"
    orders = [tuple(res[f"all[{i}]"]["result"]) for i in range(6)]
    assert all(sorted(o) == INPUT for o in orders), orders
    assert len(set(orders)) > 1, "six shuffles of five elements are all the same"
    three = res["three"]["result"]
    assert len(three) == 3 and len(set(three)) == 3 and set(three) <= set(INPUT)
    twelve = collections.Counter(res["twelve"]["result"])
    assert sum(twelve.values()) == 12 and set(twelve) == set(INPUT) and set(twelve.values()) <= {2, 3}, twelve
    first, second = (res[f"seeded[{i}]"]["result"] for i in range(2))
    assert first == second and len(first) == 7, (first, second)
    assert sorted(first[:5]) == INPUT, "the first pass is not a permutation"
    assert res["none"]["result"] == [] and res["empty"]["result"] == []


def test_shuffle_changes(cli):
    def config(inp, keepers='{ a = "1" }'):
        return PROVIDER + f'resource "random_shuffle" "k" {{\n  input   = {inp}\n  keepers = {keepers}\n}}\n'

    cli.write_tf(config('["x", "y"]'))
    cli.init()
    cli.apply()
    cli.write_tf(config('["x", "y", "z"]'))
    assert tuple(cli.actions()["random_shuffle.k"]) in REPLACE
    cli.apply()
    assert sorted(cli.resources()["random_shuffle.k"]["result"]) == ["x", "y", "z"]
    cli.write_tf(config('["x", "y", "z"]', '{ a = "2" }'))
    assert tuple(cli.actions()["random_shuffle.k"]) in REPLACE
    assert_no_import(cli, "random_shuffle", "-", "  input = []\n")
    cli.write_tf(PROVIDER + 'resource "random_shuffle" "bad" {\n  input = ["x"]\n  result_count = -1\n}\n')
    r = cli.plan(check=False)
    assert r.rc == 1 and "result_count" in r.stderr, r.output
