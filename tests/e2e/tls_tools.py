"""Helpers for the tls e2e tests: run openssl / ssh-keygen on values from the state."""

import hashlib
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


# Go's unicode.IsSpace beyond ASCII: what strings.TrimSpace also strips, UTF-8 encoded.
_UNICODE_SPACES = {0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}


def _space_len(b, at_end):
    """Length of the whitespace rune at the start (or end) of b, 0 if there is none."""
    if not b:
        return 0
    edge = b[-1] if at_end else b[0]
    if edge < 0x80:
        return 1 if edge in b"\t\n\v\f\r " else 0
    for size in (2, 3):
        chunk = b[-size:] if at_end else b[:size]
        try:
            rune = chunk.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return size if len(rune) == 1 and ord(rune) in _UNICODE_SPACES else 0
    return 0


def go_trim_space(b):
    """Go's strings.TrimSpace on raw bytes: tls ids hash the DER after it (upstream's hashForState)."""
    while (n := _space_len(b, False)):
        b = b[n:]
    while (n := _space_len(b, True)):
        b = b[:-n]
    return b


def state_id(der):
    """The id upstream derives from a key's or a CSR's DER."""
    return hashlib.sha1(go_trim_space(der)).hexdigest()
