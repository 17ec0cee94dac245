"""The ephemeral resources of random and tls under valgrind and under ASan/UBSan.

A CLI validates (a bad configuration, then a good one), plans and applies configurations whose
ephemeral values feed a local-exec provisioner; every provider process runs checked, and any error
or leak report fails the test.
"""

import pytest

from conftest import required_providers
from memcheck import TOOLS, assert_clean, checked_cli


def consumer(*values):
    env = "".join(f"      V{i} = {v}\n" for i, v in enumerate(values))
    return ('resource "terraform_data" "sink" {\n  provisioner "local-exec" {\n    command = "true"\n'
            f"    environment = {{\n{env}    }}\n  }}\n}}\n")


CONFIGS = {
    "random": (
        'ephemeral "random_password" "p" {\n  length = 0\n}\n',
        'ephemeral "random_password" "p" {\n  length = 30\n  min_special = 3\n  override_special = "_\u00e4"\n}\n'
        'ephemeral "random_bytes" "b" {\n  length = 40\n}\n'
        + consumer("ephemeral.random_password.p.bcrypt_hash", "ephemeral.random_bytes.b.hex"),
    ),
    "tls": (
        'ephemeral "tls_public_key" "none" {}\n',
        'ephemeral "tls_private_key" "rsa" {\n  algorithm = "RSA"\n  rsa_bits = 1024\n}\n'
        'ephemeral "tls_private_key" "ec" {\n  algorithm = "ECDSA"\n  ecdsa_curve = "P384"\n}\n'
        'ephemeral "tls_private_key" "ed" {\n  algorithm = "ED25519"\n}\n'
        'ephemeral "tls_public_key" "pem" {\n  private_key_pem = ephemeral.tls_private_key.ec.private_key_pem\n}\n'
        'ephemeral "tls_public_key" "ssh" {\n'
        '  private_key_openssh = ephemeral.tls_private_key.ed.private_key_openssh\n}\n'
        + consumer("ephemeral.tls_private_key.rsa.private_key_pem_pkcs8",
                   "ephemeral.tls_public_key.pem.public_key_openssh",
                   "ephemeral.tls_public_key.ssh.public_key_fingerprint_md5"),
    ),
}


@pytest.mark.parametrize("provider", sorted(CONFIGS))
@pytest.mark.parametrize("tool,name", TOOLS)
def test_ephemeral_is_clean(tool, name, provider, tmp_path):
    bad, good = CONFIGS[provider]
    cli = checked_cli(tmp_path, provider, tool, name)
    cli.write_tf(required_providers(provider) + bad)
    assert cli.run("validate", check=False).rc == 1
    cli.write_tf(required_providers(provider) + good)
    cli.validate()
    cli.plan()
    cli.apply()
    assert cli.state_list() == ["terraform_data.sink"]
    assert_clean(tmp_path, tool, min_runs=3)
