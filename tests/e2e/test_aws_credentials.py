"""The credential chain through both CLIs, checked by moto's STS: environment, profile files,
credential_process, assume_role (chained), and clear errors at ConfigureProvider."""

import json
import sys

from aws_fixtures import PROVIDER, aws_env, hcl, moto, moto_server, provider_block  # noqa: F401 (fixtures)
from http_servers import LoopbackServer

ROLE_ACCOUNT = "111122223333"
READ = 'data "aws_iot_endpoint" "x" {\n  endpoint_type = "iot:Data-ATS"\n}\noutput "a" { value = data.aws_iot_endpoint.x.endpoint_address }\n'


def run(cli, env, tf, ok=True):
    cli.write_tf(PROVIDER + tf + READ)
    cli.init(env=env)
    r = cli.run("apply", "-auto-approve", check=False, env=env)
    if ok:
        assert r.rc == 0, r.output
        assert cli.outputs()["a"].endswith(".amazonaws.com")
    return r, " ".join(r.output.split())


def test_environment_keys(cli, moto, tmp_path):
    env = aws_env(tmp_path, AWS_ACCESS_KEY_ID="AKIAENVENVENVENVENV1", AWS_SECRET_ACCESS_KEY="env-secret",
                  AWS_ENDPOINT_URL=moto.url)
    run(cli, env, provider_block(keys=False, allowed_account_ids=["123456789012"]))


def test_no_credentials_is_a_configure_error(cli, moto, tmp_path):
    env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url)
    r, text = run(cli, env, provider_block(keys=False, skip_metadata_api_check="true"), ok=False)
    assert r.rc != 0 and "No valid credential sources found" in text


def test_profile_from_files(cli, moto, tmp_path):
    creds = tmp_path / "creds"
    creds.write_text("[default]\naws_access_key_id = AKIADEFAULT000000000\naws_secret_access_key = d\n"
                     "[dev]\n# a comment\naws_access_key_id = AKIADEV0000000000000\naws_secret_access_key = x\n")
    config = tmp_path / "config"
    config.write_text("[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n")
    env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url)
    files = dict(shared_credentials_files=[str(creds)], shared_config_files=[str(config)])
    run(cli, env, provider_block(keys=False, profile="dev", **files))
    # the profile argument beats the environment's keys; a missing profile is an error on `profile`
    env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = "AKIAENV", "secret"
    r, text = run(cli.fresh("missing"), env, provider_block(keys=False, profile="nope", **files), ok=False)
    assert r.rc != 0 and 'profile named "nope"' in text


def test_credential_process(cli, moto, tmp_path):
    doc = {"Version": 1, "AccessKeyId": "AKIAPROCESS000000000", "SecretAccessKey": "p", "SessionToken": "t"}
    script = tmp_path / "proc.py"
    script.write_text(f"import json\nprint(json.dumps({doc!r}))\n")
    bad = tmp_path / "bad.py"
    bad.write_text("print('not json')\n")
    config = tmp_path / "config"
    config.write_text(f"[profile proc]\ncredential_process = {sys.executable} {script}\n"
                      f"[profile bad]\ncredential_process = {sys.executable} {bad}\n"
                      f"[profile fails]\ncredential_process = /bin/false\n")
    env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url, AWS_CONFIG_FILE=str(config), AWS_PROFILE="proc")
    run(cli, env, provider_block(keys=False))
    for name, why in (("bad", "not valid credentials"), ("fails", "exited with status 1")):
        r, text = run(cli.fresh(name), {**env, "AWS_PROFILE": name}, provider_block(keys=False), ok=False)
        assert r.rc != 0 and "credential_process failed" in text and why in text
        assert "not json" not in text  # the output (possibly secret) is never shown


def assume_role(role, session="thingform"):
    return f'  assume_role {{\n    role_arn     = "{role}"\n    session_name = "{session}"\n    duration = "1h"\n  }}\n'


def test_assume_role_chain(cli, moto, tmp_path):
    env = aws_env(tmp_path)
    first = f"arn:aws:iam::{ROLE_ACCOUNT}:role/first"
    second = f"arn:aws:iam::{ROLE_ACCOUNT}:role/second"
    tf = provider_block(endpoint=moto.url, allowed_account_ids=[ROLE_ACCOUNT],
                        blocks=assume_role(first) + assume_role(second, "s2"))
    run(cli, env, tf)
    # the account id came from the assumed role: the static keys' account is refused
    r, text = run(cli.fresh("forbidden"), env,
                  provider_block(endpoint=moto.url, forbidden_account_ids=[ROLE_ACCOUNT], blocks=assume_role(first)),
                  ok=False)
    assert r.rc != 0 and f"account {ROLE_ACCOUNT}" in text


def test_profile_role_with_source_profile(cli, moto, tmp_path):
    config = tmp_path / "config"
    config.write_text(f"[profile base]\naws_access_key_id = AKIABASE000000000000\naws_secret_access_key = b\n"
                      f"[profile role]\nrole_arn = arn:aws:iam::{ROLE_ACCOUNT}:role/r\nsource_profile = base\n")
    env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url, AWS_CONFIG_FILE=str(config))
    run(cli, env, provider_block(keys=False, profile="role", allowed_account_ids=[ROLE_ACCOUNT]))


def test_web_identity(cli, moto, tmp_path):
    token = tmp_path / "token"
    token.write_text("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.\n")
    role = f"arn:aws:iam::{ROLE_ACCOUNT}:role/web"
    env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url, AWS_ROLE_ARN=role, AWS_WEB_IDENTITY_TOKEN_FILE=str(token))
    run(cli, env, provider_block(keys=False, allowed_account_ids=[ROLE_ACCOUNT]))
    block = (f'  assume_role_with_web_identity {{\n    role_arn = "{role}"\n'
             f'    web_identity_token_file = "{token}"\n    session_name = "w"\n  }}\n')
    run(cli.fresh("block"), aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url),
        provider_block(keys=False, allowed_account_ids=[ROLE_ACCOUNT], blocks=block))


class CredentialServer:
    """A loopback stand-in for the container credentials endpoint and IMDSv2 (bounded: 60 s)."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler
        self.seen = []
        doc = json.dumps({"AccessKeyId": "AKIAREMOTE0000000000", "SecretAccessKey": "r", "Token": "t",
                          "Expiration": "2099-01-01T00:00:00Z"})
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body.encode())

            def do_PUT(self):
                server.seen.append(("PUT", self.path))
                ok = self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
                self._send(200 if ok else 400, "imds-token")

            def do_GET(self):
                server.seen.append(("GET", self.path))
                if self.path == "/container" and self.headers.get("Authorization") == "container-secret":
                    return self._send(200, doc)
                if self.headers.get("X-aws-ec2-metadata-token") != "imds-token":
                    return self._send(401, "")
                if self.path == "/latest/meta-data/iam/security-credentials/":
                    return self._send(200, "my-role\n")
                if self.path == "/latest/meta-data/iam/security-credentials/my-role":
                    return self._send(200, doc)
                self._send(404, "")

        self.httpd = LoopbackServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_container_and_imds(cli, moto, tmp_path):
    srv = CredentialServer()
    try:
        tokfile = tmp_path / "ctok"
        tokfile.write_text("container-secret")
        env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url, AWS_CONTAINER_CREDENTIALS_FULL_URI=f"{srv.url}/container",
                      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=str(tokfile))
        run(cli, env, provider_block(keys=False))
        assert ("GET", "/container") in srv.seen
        env = aws_env(tmp_path, AWS_ENDPOINT_URL=moto.url, AWS_EC2_METADATA_DISABLED="false")
        run(cli.fresh("imds"), env, provider_block(keys=False, ec2_metadata_service_endpoint=srv.url))
        assert ("GET", "/latest/meta-data/iam/security-credentials/my-role") in srv.seen
        # skip_metadata_api_check turns IMDS off: no credentials at all
        n = len(srv.seen)
        r, text = run(cli.fresh("off"), env, provider_block(keys=False, ec2_metadata_service_endpoint=srv.url,
                                                             skip_metadata_api_check="true"), ok=False)
        assert r.rc != 0 and "No valid credential sources found" in text and len(srv.seen) == n
    finally:
        srv.close()
