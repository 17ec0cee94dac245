"""The SigV4 oracle data is what botocore says: re-sign every case with the installed botocore.

tests/unit/test-aws-sigv4.c checks our signer against tests/unit/data/sigv4-oracle.json; this test
checks that file against botocore itself, so neither can drift."""

import importlib.util
import json

from conftest import REPO

DATA = REPO / "tests" / "unit" / "data"


def test_oracle_file_matches_botocore():
    spec = importlib.util.spec_from_file_location("sigv4_oracle", DATA / "sigv4-oracle.py")
    oracle = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(oracle)
    stored = json.loads((DATA / "sigv4-oracle.json").read_text())
    fresh = oracle.cases()
    assert len(stored) >= 50
    assert fresh == stored
    # the cases cover what IoT names and queries hold
    paths = "".join(c["path"] + c["query"] for c in stored)
    for escaped in ("%3A", "%2B", "%3D", "%40", "%2C", "%20"):
        assert escaped in paths
    assert any(c["token"] for c in stored) and any(not c["token"] for c in stored)
    assert any(c["body"] for c in stored) and any(not c["body"] for c in stored)
    assert any(c["query"].count("&") >= 2 for c in stored)
