"""resource "aws_iot_thing_principal_attachment" through both CLIs against moto, checked with boto3.

The certificate is made with boto3 (create_keys_and_certificate), the thing with aws_iot_thing.  Covers
create, a second plan with no changes, the thing_principal_type that moto does not echo, drift (detached
out of band), import (CLI, `import` block, -generate-config-out), destroy, and a principal list that
lags behind AttachThingPrincipal (a proxy in front of moto hides it for a while).
"""

import http.client
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest

from aws_fixtures import PROVIDER, aws_env, moto, moto_server, provider_block  # noqa: F401 (fixtures)
from http_servers import LoopbackServer
from memcheck import TOOLS, assert_clean, checked_cli

ADDR = "aws_iot_thing_principal_attachment.a"


def attachment(principal, thing="aws_iot_thing.t.name", extra=""):
    return ('resource "aws_iot_thing" "t" {\n  name = "dev-1"\n}\n'
            f'resource "aws_iot_thing_principal_attachment" "a" {{\n  thing = {thing}\n'
            f'  principal = "{principal}"\n{extra}}}\n')


def setup(cli, tmp_path, endpoint, body):
    cli.env = {**cli.env, **aws_env(tmp_path)}
    cli.write_tf(PROVIDER + provider_block(endpoint=endpoint, skip=True) + body)
    cli.init()


def certificate(moto):
    return moto.client("iot").create_keys_and_certificate(setAsActive=True)["certificateArn"]


def principals(moto, thing="dev-1"):
    return moto.client("iot").list_thing_principals(thingName=thing)["principals"]


def test_lifecycle(cli, moto, tmp_path):
    cert = certificate(moto)
    setup(cli, tmp_path, moto.url, attachment(cert))
    cli.apply()
    assert principals(moto) == [cert]
    state = cli.resources()[ADDR]
    assert state["id"] == f"dev-1|{cert}" and state["thing"] == "dev-1" and state["principal"] == cert
    assert state["thing_principal_type"] == "NON_EXCLUSIVE_THING" and state["region"] == "eu-west-1"
    assert cli.plan_exit_code() == 0
    # moto refuses DeleteThing while a principal is attached: a clean destroy proves the detach.
    cli.destroy()
    iot = moto.client("iot")
    assert iot.list_things()["things"] == []
    assert iot.list_principal_things(principal=cert)["things"] == []


def test_configured_type_is_kept_when_the_api_omits_it(cli, moto, tmp_path):
    cert = certificate(moto)
    setup(cli, tmp_path, moto.url, attachment(cert, extra='  thing_principal_type = "EXCLUSIVE_THING"\n'))
    cli.apply()
    assert cli.resources()[ADDR]["thing_principal_type"] == "EXCLUSIVE_THING"
    assert cli.plan_exit_code() == 0
    cli.run("apply", "-refresh-only", "-auto-approve")
    assert cli.resources()[ADDR]["thing_principal_type"] == "EXCLUSIVE_THING"
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url, skip=True)
                 + attachment(cert, extra='  thing_principal_type = "NON_EXCLUSIVE_THING"\n'))
    assert cli.actions()[ADDR] == ["delete", "create"]


def test_drift_detached_out_of_band(cli, moto, tmp_path):
    cert = certificate(moto)
    setup(cli, tmp_path, moto.url, attachment(cert))
    cli.apply()
    moto.client("iot").detach_thing_principal(thingName="dev-1", principal=cert)
    assert cli.actions() == {ADDR: ["create"], "aws_iot_thing.t": ["no-op"]}
    cli.apply()
    assert principals(moto) == [cert]
    assert cli.plan_exit_code() == 0


def test_missing_principal_is_an_apply_error(cli, moto, tmp_path):
    arn = "arn:aws:iot:eu-west-1:123456789012:cert/" + "ab" * 32
    setup(cli, tmp_path, moto.url, attachment(arn))
    r = cli.apply(check=False)
    text = " ".join(r.output.split())
    assert r.rc != 0 and "AttachThingPrincipal" in text and "ResourceNotFoundException" in text, r.output
    assert ADDR not in cli.state_list()


def out_of_band(moto):
    iot = moto.client("iot")
    cert = certificate(moto)
    iot.create_thing(thingName="dev-1")
    iot.attach_thing_principal(thingName="dev-1", principal=cert)
    return cert


def standalone(cert):
    return ('resource "aws_iot_thing_principal_attachment" "a" {\n  thing = "dev-1"\n'
            f'  principal = "{cert}"\n}}\n')


def test_import_from_cli(cli, moto, tmp_path):
    cert = out_of_band(moto)
    setup(cli, tmp_path, moto.url, standalone(cert))
    cli.import_(ADDR, f"dev-1|{cert}")
    state = cli.resources()[ADDR]
    assert state["thing_principal_type"] == "NON_EXCLUSIVE_THING" and state["id"] == f"dev-1|{cert}"
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert principals(moto) == []


def test_import_of_a_missing_attachment_fails(cli, moto, tmp_path):
    cert = certificate(moto)
    moto.client("iot").create_thing(thingName="dev-1")
    setup(cli, tmp_path, moto.url, standalone(cert))
    r = cli.import_(ADDR, f"dev-1|{cert}", check=False)
    assert r.rc != 0 and cli.state_list() == [], r.output


@pytest.mark.parametrize("bad_id", ["dev-1", "|arn:aws:iot:eu-west-1:1:cert/x", "dev-1|", "a|b|c"])
def test_import_rejects_a_malformed_id(cli, moto, tmp_path, bad_id):
    setup(cli, tmp_path, moto.url, standalone("arn:aws:iot:eu-west-1:123456789012:cert/abc"))
    r = cli.import_(ADDR, bad_id, check=False)
    assert r.rc != 0 and "Invalid import id" in r.output and "THING|PRINCIPAL" in r.output, r.output


def test_import_block(cli, moto, tmp_path):
    cert = out_of_band(moto)
    setup(cli, tmp_path, moto.url, standalone(cert) + f'import {{\n  to = {ADDR}\n  id = "dev-1|{cert}"\n}}\n')
    assert cli.actions() == {ADDR: ["no-op"]}
    cli.apply()
    assert cli.plan_exit_code() == 0


def test_generate_config_out(cli, moto, tmp_path):
    cert = out_of_band(moto)
    setup(cli, tmp_path, moto.url, f'import {{\n  to = {ADDR}\n  id = "dev-1|{cert}"\n}}\n')
    cli.plan("-generate-config-out=gen.tf")
    generated = (cli.workdir / "gen.tf").read_text()
    assert cert in generated and "NON_EXCLUSIVE_THING" in generated, generated
    assert cli.actions() == {ADDR: ["no-op"]}
    cli.apply()
    assert cli.plan_exit_code() == 0
    assert principals(moto) == [cert]


COGNITO = "eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

def test_good_principals_validate(cli, tmp_path):
    body = "".join(f'resource "aws_iot_thing_principal_attachment" "a{i}" {{\n  thing = "dev-1"\n'
                   f'  principal = "{p}"\n}}\n'
                   for i, p in enumerate([COGNITO, "arn:aws:iot:eu-west-1:123456789012:cert/" + "ab" * 32,
                                          "arn:aws-cn:iot:cn-north-1:123456789012:thinggroup/g"]))
    setup(cli, tmp_path, None, body)
    cli.validate()


class LaggingList:
    """A proxy in front of moto whose ListThingPrincipalsV2 answers an empty list `hide` times."""

    def __init__(self, upstream, hide):
        self.upstream, self.hide, self.lists = urlsplit(upstream), hide, 0
        self.lock = threading.Lock()
        self.httpd = LoopbackServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, headers, body):
                self.send_response(status)
                for k, v in headers:
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _serve(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command == "GET" and urlsplit(self.path).path.endswith("/principals-v2"):
                    with proxy.lock:
                        proxy.lists += 1
                        hidden = proxy.lists <= proxy.hide
                    if hidden:
                        self._reply(200, [("Content-Type", "application/json")], b'{"thingPrincipalObjects": []}')
                        return
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=30)
                conn.request(self.command, self.path, body=body or None,
                             headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                resp = conn.getresponse()
                self._reply(resp.status, resp.getheaders(), resp.read())
                conn.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _serve

        return Handler


def test_lagging_list_is_waited_out(cli, moto, tmp_path):
    cert = certificate(moto)
    proxy = LaggingList(moto.url, hide=3)
    try:
        setup(cli, tmp_path, proxy.url, attachment(cert))
        cli.apply()
        assert proxy.lists >= 4
        assert cli.resources()[ADDR]["id"] == f"dev-1|{cert}"
        assert cli.plan_exit_code() == 0
    finally:
        proxy.close()


def test_list_that_never_shows_it_keeps_the_attachment_tainted(cli, moto, tmp_path):
    cert = certificate(moto)
    proxy = LaggingList(moto.url, hide=10**6)
    try:
        setup(cli, tmp_path, proxy.url, attachment(cert))
        r = cli.apply(check=False)
        assert r.rc != 0 and "Attachment not found after creation" in " ".join(r.output.split()), r.output
        assert principals(moto) == [cert]
        state = [x for x in cli.state()["values"]["root_module"]["resources"] if x["address"] == ADDR]
        assert state and state[0].get("tainted") is True, state
        assert state[0]["values"]["thing_principal_type"] == "NON_EXCLUSIVE_THING"
    finally:
        proxy.close()
    # Back on moto directly: the tainted attachment is replaced, and the result is clean.
    cli.write_tf(PROVIDER + provider_block(endpoint=moto.url, skip=True) + attachment(cert))
    assert cli.actions()[ADDR] == ["delete", "create"]
    cli.apply()
    assert principals(moto) == [cert]
    assert cli.plan_exit_code() == 0


@pytest.mark.parametrize("tool,name", TOOLS)
def test_both_resources_are_memory_clean(tool, name, moto, tmp_path):
    """Create, update, drift, a refused import, both imported through import blocks, and destroy, under
    valgrind or ASan."""
    cert = certificate(moto)
    iot = moto.client("iot")
    cli = checked_cli(tmp_path, "aws", tool, name, **aws_env(tmp_path))

    def config(attrs):
        return (PROVIDER + provider_block(endpoint=moto.url, skip=True)
                + 'resource "aws_iot_thing" "t" {\n  name = "dev-1"\n'
                + "  attributes = {" + ", ".join(f'"{k}" = "{v}"' for k, v in attrs.items()) + "}\n}\n"
                + 'resource "aws_iot_thing_principal_attachment" "a" {\n  thing = aws_iot_thing.t.name\n'
                + f'  principal = "{cert}"\n}}\n')

    cli.write_tf(config({"a": "1", "b": "2"}))
    cli.apply()
    cli.write_tf(config({"a": "3"}))
    cli.apply()
    iot.update_thing(thingName="dev-1", attributePayload={"attributes": {"a": "drifted"}})
    iot.detach_thing_principal(thingName="dev-1", principal=cert)
    cli.apply()
    assert iot.describe_thing(thingName="dev-1")["attributes"] == {"a": "3"} and principals(moto) == [cert]
    assert cli.run("import", ADDR, "no-bar", check=False).rc != 0
    cli.run("state", "rm", ADDR, "aws_iot_thing.t")
    cli.write_tf(config({"a": "3"}) + f'import {{\n  to = {ADDR}\n  id = "dev-1|{cert}"\n}}\n'
                 'import {\n  to = aws_iot_thing.t\n  id = "dev-1"\n}\n')
    cli.apply()
    assert cli.plan_exit_code() == 0
    cli.destroy()
    assert iot.list_things()["things"] == []
    assert_clean(tmp_path, tool, min_runs=5)
