"""The loopback servers that Terraform reads from take a -parallelism burst of connections at once.

Terraform starts up to -parallelism (10 by default) reads together, and a fast provider opens their
connections within a millisecond.  A listen queue shorter than that (socketserver's default is 5) drops
the SYNs beyond it, and those connections wait out TCP's one-second retransmission timeout: a second of
idle wall time that the http apply benchmark would otherwise count against whichever provider is faster.
"""

import selectors
import socket
import sys
import time

import pytest

from conftest import REPO
from http_servers import Handler, LoopbackServer

sys.path.insert(0, str(REPO / "bench"))
import micro  # noqa: E402

PARALLELISM = 10  # the CLIs' default
HANDSHAKE_S = 0.5  # well under the 1 s a dropped SYN costs


def connected_within(address, n, seconds):
    """Opens n connections to a server that accepts none of them; how many the kernel completes in time."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
    try:
        with selectors.DefaultSelector() as sel:
            for s in socks:
                s.setblocking(False)
                s.connect_ex(address)
                sel.register(s, selectors.EVENT_WRITE)
            done, deadline = 0, time.monotonic() + seconds
            while done < n and (left := deadline - time.monotonic()) > 0:
                for key, _ in sel.select(left):
                    sel.unregister(key.fileobj)
                    done += key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
            return done
    finally:
        for s in socks:
            s.close()


@pytest.mark.parametrize("make", [micro.apply_server, lambda: LoopbackServer(("127.0.0.1", 0), Handler)],
                         ids=["bench-apply-server", "e2e-loopback-server"])
def test_a_parallelism_burst_connects_without_retransmission(make):
    server = make()  # listening, not yet accepting: the worst case of a busy accept loop
    try:
        assert connected_within(server.server_address, PARALLELISM, HANDSHAKE_S) == PARALLELISM
    finally:
        server.server_close()
