"""Our random, tls and http against the schemas of the official providers (tests/compat/*/schema.json).

Each CLI reports our schemas (`providers schema -json`); every provider block, resource, data source
and ephemeral resource must equal the official one attribute by attribute and block by block, with
descriptions set aside. Any difference fails with the list of them.
"""

import copy
import json

from conftest import NAMESPACE, REPO, required_providers

COMPAT = REPO / "tests" / "compat"
PROVIDERS = ("random", "tls", "http")
IGNORED = {"description", "description_kind"}


def snapshot(name):
    return json.loads((COMPAT / name / "schema.json").read_text())


def without_descriptions(x):
    if isinstance(x, dict):
        return {k: without_descriptions(v) for k, v in x.items() if k not in IGNORED}
    if isinstance(x, list):
        return [without_descriptions(v) for v in x]
    return x


def differences(ours, upstream, path=()):
    """Readable lines, one per difference between two schema documents (descriptions ignored)."""
    where = " > ".join(path) or "(top)"
    if isinstance(ours, dict) and isinstance(upstream, dict):
        out = []
        for key in sorted(set(ours) | set(upstream)):
            if key in IGNORED:
                continue
            if key not in ours:
                out.append(f"{where}: {key} missing in ours (upstream: {json.dumps(upstream[key])[:200]})")
            elif key not in upstream:
                out.append(f"{where}: {key} only in ours ({json.dumps(ours[key])[:200]})")
            else:
                out += differences(ours[key], upstream[key], path + (key,))
        return out
    if ours != upstream:
        return [f"{where}: ours {json.dumps(ours)}, upstream {json.dumps(upstream)}"]
    return []


def test_snapshots_record_their_source():
    for name in PROVIDERS:
        up = snapshot(name)["upstream"]
        assert up["provider"] == f"hashicorp/{name}"
        assert up["repository"] == f"https://github.com/hashicorp/terraform-provider-{name}"
        assert len(up["commit"]) == 40 and int(up["commit"], 16) >= 0
        assert up["version"].count(".") == 2
        assert without_descriptions(snapshot(name)["schema"]) == snapshot(name)["schema"]


def test_differences_are_listed_by_path():
    """The comparison itself: every kind of change to a snapshot is found and named."""
    up = snapshot("random")["schema"]
    ours = copy.deepcopy(up)
    eph = ours["ephemeral_resource_schemas"]["random_password"]["block"]["attributes"]
    eph["numeric"]["optional"] = False
    eph["length"]["sensitive"] = True
    del ours["resource_schemas"]["random_pet"]["block"]["attributes"]["separator"]
    ours["resource_schemas"]["random_id"]["version"] = 1
    ours["data_source_schemas"] = {"random_extra": {}}
    ours["resource_schemas"]["random_id"]["block"]["attributes"]["id"]["description"] = "ignored"
    assert differences(ours, up) == [
        '(top): data_source_schemas only in ours ({"random_extra": {}})',
        "ephemeral_resource_schemas > random_password > block > attributes > length: "
        "sensitive only in ours (true)",
        "ephemeral_resource_schemas > random_password > block > attributes > numeric > optional: "
        "ours false, upstream true",
        "resource_schemas > random_id > version: ours 1, upstream 0",
        "resource_schemas > random_pet > block > attributes: separator missing in ours (upstream: "
        + json.dumps(up["resource_schemas"]["random_pet"]["block"]["attributes"]["separator"]) + ")",
    ]
    assert differences(up, copy.deepcopy(up)) == []


def test_schemas_match_the_official_providers(cli):
    cli.write_tf(required_providers(*PROVIDERS))
    cli.init()
    served = json.loads(cli.run("providers", "schema", "-json").stdout)["provider_schemas"]
    problems, counted = [], {}
    for name in PROVIDERS:
        ours = without_descriptions(served[f"{NAMESPACE}/{name}"])
        upstream = snapshot(name)["schema"]
        problems += [f"{name}: {line}" for line in differences(ours, upstream)]
        counted[name] = sum(len(ours.get(k, {})) for k in
                            ("resource_schemas", "data_source_schemas", "ephemeral_resource_schemas"))
    assert not problems, f"{len(problems)} schema differences from the official providers:\n" + "\n".join(problems)
    # what was compared: every type of the three providers, ephemeral ones included
    assert counted == {"random": 12, "tls": 8, "http": 1}
    assert sorted(served[f"{NAMESPACE}/tls"]["ephemeral_resource_schemas"]) == ["tls_private_key", "tls_public_key"]
    assert sorted(served[f"{NAMESPACE}/random"]["ephemeral_resource_schemas"]) == ["random_bytes", "random_password"]
