"""Helpers for the tls e2e tests: run openssl / ssh-keygen on values from the state."""

import os
import subprocess
import tempfile


def run_tool(*args, data=None, check=True):
    """Run a tool with `data` on stdin; return its stdout (raises on failure when check)."""
    r = subprocess.run(list(args), input=data, capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r


def openssl(*args, data=None, check=True):
    return run_tool("openssl", *args, data=data, check=check)


def with_file(text, fn, mode=0o600):
    """Write `text` to a private temp file, call fn(path), remove it."""
    fd, path = tempfile.mkstemp()
    try:
        os.write(fd, text.encode())
        os.close(fd)
        os.chmod(path, mode)
        return fn(path)
    finally:
        os.unlink(path)


def ssh_fingerprints(authorized_key):
    """(md5, sha256) as `ssh-keygen -l` prints them, without the prefixes' noise."""
    def both(path):
        md5 = run_tool("ssh-keygen", "-l", "-E", "md5", "-f", path).stdout.split()[1]
        sha = run_tool("ssh-keygen", "-l", "-E", "sha256", "-f", path).stdout.split()[1]
        return md5.removeprefix("MD5:"), sha
    return with_file(authorized_key, both)


def ssh_public_from_private(private_openssh):
    """`ssh-keygen -y` on an OpenSSH private key: its authorized_keys line."""
    return with_file(private_openssh, lambda p: run_tool("ssh-keygen", "-y", "-f", p).stdout)
