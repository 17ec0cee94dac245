"""A loopback proxy in front of moto that makes two IoT lists behave as AWS's can and moto's do not.

- ListAttachedPolicies answers list nothing while `hide` is above zero (each such answer counts it
  down): AWS's lists lag behind AttachPolicy.
- With `page_size`, ListAttachedPolicies (marker/nextMarker) and ListTagsForResource
  (nextToken/nextToken) answer in pages of that size; moto always answers in one page.

Everything else is passed through unchanged.  `lists` counts the ListAttachedPolicies calls, `pages`
every page served with a next marker or token.

FaultProxy adds injected faults (resets, hangs, slow answers, 500/503/throttling, truncated and
non-JSON answers) and can hold certificate creates while a test kills the provider.

ThrottleProxy enforces per-operation rate quotas as AWS does (ThrottlingException over quota) and counts,
per operation, the requests forwarded and throttled (bench/fleet measures fleet throughput with it).
"""

import json
import random
import socket
import struct
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler

from http_servers import LoopbackServer


class ListProxy:
    def __init__(self, upstream, hide=0, page_size=None):
        self.upstream, self.hide, self.page_size = upstream, hide, page_size
        self.lists = self.pages = 0
        self.open_connections = 0  # from the provider, until their handler is done
        self.lock = threading.Lock()
        self.httpd = LoopbackServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _page(self, data, items_key, in_key, out_key, query):
        """One page of a full answer: items from the offset the request's `in_key` names."""
        doc = json.loads(data or b"{}")
        start = int(query.get(in_key, ["0"])[0])
        items = doc.get(items_key) or []
        doc[items_key] = items[start:start + self.page_size]
        doc.pop(out_key, None)
        if start + self.page_size < len(items):
            doc[out_key] = str(start + self.page_size)
            self.pages += 1
        return json.dumps(doc).encode()

    def _rewrite(self, method, path, data):
        url = urllib.parse.urlsplit(path)
        query = urllib.parse.parse_qs(url.query)
        with self.lock:
            if method == "POST" and url.path.startswith("/attached-policies/"):
                self.lists += 1
                if self.hide > 0:
                    self.hide -= 1
                    return b'{"policies": []}'
                if self.page_size:
                    return self._page(data, "policies", "marker", "nextMarker", query)
            if method == "GET" and url.path == "/tags" and self.page_size:
                return self._page(data, "tags", "nextToken", "nextToken", query)
        return data

    def _before(self, handler):
        """Called before a request goes to moto: "handled" when it was answered here (FaultProxy)."""
        return None

    def _after(self, handler, fault, status, data):
        """Called with moto's answer: True when the answer was dealt with here (FaultProxy)."""
        return False

    @staticmethod
    def _upstream_path(method, path):
        """The request as moto should see it: paging parameters removed (moto answers everything)."""
        url = urllib.parse.urlsplit(path)
        if not (url.path.startswith("/attached-policies/") or url.path == "/tags"):
            return path
        query = [(k, v) for k, v in urllib.parse.parse_qsl(url.query) if k not in ("marker", "nextToken")]
        return url.path + ("?" + urllib.parse.urlencode(query) if query else "")

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                with proxy.lock:
                    proxy.open_connections += 1

            def finish(self):
                try:
                    super().finish()
                finally:
                    with proxy.lock:
                        proxy.open_connections -= 1

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.body = body
                fault = proxy._before(self)
                if fault == "handled":
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                req = urllib.request.Request(proxy.upstream + proxy._upstream_path(self.command, self.path),
                                             data=body or None, method=self.command, headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        status, rheaders, data = r.status, r.headers, r.read()
                except urllib.error.HTTPError as e:
                    status, rheaders, data = e.code, e.headers, e.read()
                if status == 200:
                    data = proxy._rewrite(self.command, self.path, data)
                if proxy._after(self, fault, status, data):
                    return
                self.send_response(status)
                for k, v in rheaders.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        return Handler


def aws_error(handler, status, code, message, request_id="fault-injected"):
    """An AWS REST-JSON error answer, as AWS IoT sends one: the code in x-amzn-ErrorType, {"message"} as body."""
    data = json.dumps({"message": message}).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("x-amzn-ErrorType", code)
    handler.send_header("x-amzn-RequestId", request_id)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


# --- faults -----------------------------------------------------------------------------------------------

# Faults answered by the proxy itself: moto never sees the request.
FAULTS_BEFORE = ("reset", "timeout", "500", "503", "throttle")
# Faults on moto's answer: moto did the work, the provider gets the answer late, cut short or not at all.
FAULTS_AFTER = ("slow", "reset_after", "truncated", "non_json")
FAULTS = FAULTS_BEFORE + FAULTS_AFTER
HOLD_SECONDS = 2.0   # "timeout": how long the request hangs before the connection is closed unanswered
SLOW_SECONDS = 1.5   # "slow": how late the answer comes


def create_kind(method, path):
    """"cert", "policy" or "thing" for the requests that create one (their answers name it), else None."""
    parts = urllib.parse.urlsplit(path).path.strip("/").split("/")
    if method != "POST":
        return None
    if parts in (["keys-and-certificate"], ["certificate", "register-no-ca"], ["certificate", "register"]):
        return "cert"
    if len(parts) == 2 and parts[0] in ("policies", "things"):
        return {"policies": "policy", "things": "thing"}[parts[0]]
    return None


def created_id(kind, path, data):
    """The id of what a create made: the certificate id from moto's answer, else the name in the path."""
    if kind == "cert":
        return json.loads(data)["certificateId"]
    return urllib.parse.unquote(urllib.parse.urlsplit(path).path.strip("/").split("/")[1])


class FaultProxy(ListProxy):
    """ListProxy that also misbehaves as a network and an overloaded AWS can.

    `fault` (one of FAULTS, or None) hits each request with probability `fraction` (a seeded generator):
      reset        the connection is reset before the request reaches moto
      timeout      the request hangs HOLD_SECONDS, then the connection closes without an answer
      500, 503     InternalFailure / ServiceUnavailableException, AWS-shaped, not forwarded
      throttle     HTTP 400 ThrottlingException with x-amzn-ErrorType, not forwarded
      slow         moto's answer arrives SLOW_SECONDS late
      reset_after  moto did the work; the connection is reset instead of answering
      truncated    moto did the work; half the answer is sent (with the full Content-Length), then close
      non_json     moto did the work; the answer is HTTP 200 with an HTML page
    `lost` maps "cert"/"policy"/"thing" to the ids of objects moto created whose answer never reached the
    provider intact: the provider cannot know them.  `faulted` counts the faults injected.  With `kinds`
    only creates of those kinds are hit, with `limit` at most that many requests.

    Kill support: with `hold` = {kind: N}, every create of that kind after the first N goes to moto, (kind,
    id) is added to `held`, `held_event` is set, and the answer waits for `release` (then the connection is
    reset).  `creates[kind]` counts the create answers delivered.
    """

    def __init__(self, upstream, fault=None, fraction=0.15, seed=1, hold=None, kinds=None, limit=None):
        super().__init__(upstream)
        self.fault, self.fraction, self.rng = fault, fraction, random.Random(seed)
        self.kinds, self.limit = kinds, limit
        self.faulted = 0
        self.lost = {"cert": set(), "policy": set(), "thing": set()}
        self.creates = {"cert": 0, "policy": 0, "thing": 0}
        self.hold, self.requested = dict(hold or {}), {"cert": 0, "policy": 0, "thing": 0}
        self.held, self.held_event, self.release = [], threading.Event(), threading.Event()

    def __exit__(self, *exc):
        self.release.set()
        super().__exit__(*exc)

    def settled_held(self, timeout=60, quiet=1.0):
        """`held` once every connection but the held ones has been done for `quiet` seconds (or after
        `timeout`).  Before a kill, that is the provider idle but for the held requests; after it, call it
        again: a create still in a socket buffer, in the listen queue or inside moto at the kill is in
        flight too."""
        deadline, quiet_since = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            with self.lock:
                settled = self.open_connections <= len(self.held)
            now = time.monotonic()
            quiet_since = (quiet_since or now) if settled else None
            if quiet_since is not None and now - quiet_since >= quiet:
                break
            time.sleep(0.05)
        with self.lock:
            return list(self.held)

    @staticmethod
    def _reset(handler):
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True

    def _before(self, handler):
        with self.lock:
            kind = create_kind(handler.command, handler.path)
            if kind in self.hold:
                self.requested[kind] += 1
                if self.requested[kind] > self.hold[kind]:
                    return "hold"
            if (not self.fault or (self.kinds is not None and kind not in self.kinds)
                    or (self.limit is not None and self.faulted >= self.limit)
                    or self.rng.random() >= self.fraction):
                return None
            self.faulted += 1
        if self.fault in FAULTS_AFTER:
            return self.fault
        if self.fault == "reset":
            self._reset(handler)
        elif self.fault == "timeout":
            time.sleep(HOLD_SECONDS)
            handler.close_connection = True
        elif self.fault == "throttle":
            aws_error(handler, 400, "ThrottlingException", "injected ThrottlingException")
        else:
            code = {"500": "InternalFailure", "503": "ServiceUnavailableException"}[self.fault]
            aws_error(handler, int(self.fault), code, f"injected {code}")
        return "handled"

    def _after(self, handler, fault, status, data):
        kind = create_kind(handler.command, handler.path)
        ok_create = kind and status == 200
        if fault == "hold":
            with self.lock:
                self.held.append((kind, created_id(kind, handler.path, data)))
            self.held_event.set()
            self.release.wait(120)
            self._reset(handler)
            return True
        if ok_create and fault in ("reset_after", "truncated", "non_json"):
            with self.lock:
                self.lost[kind].add(created_id(kind, handler.path, data))
        elif ok_create:
            with self.lock:
                self.creates[kind] += 1
        if fault == "slow":
            time.sleep(SLOW_SECONDS)
            return False
        if fault == "reset_after":
            self._reset(handler)
        elif fault == "truncated":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data[:len(data) // 2])
            self._reset(handler)
        elif fault == "non_json":
            page = b"<html><body>200 OK</body></html>"
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(len(page)))
            handler.end_headers()
            handler.wfile.write(page)
        else:
            return False
        return True


# --- throttling -------------------------------------------------------------------------------------------

def _iot_routes():
    """(method, path segments, operation name) for every operation of botocore's AWS IoT model; a segment
    in braces is a label that matches any one segment."""
    import botocore.session
    model = botocore.session.get_session().get_service_model("iot")
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        path = http["requestUri"].split("?")[0].strip("/")
        routes.append((http["method"], path.split("/") if path else [], name))
    return routes


class OperationNames:
    """The AWS operation a request to the IoT endpoint calls, from its method and path (botocore's model);
    STS calls (a form POST to /) are "sts:<Action>", anything else "unknown"."""

    def __init__(self):
        self.routes, self.cache = _iot_routes(), {}

    def __call__(self, method, path, body=b""):
        path = urllib.parse.urlsplit(path).path.strip("/")
        if method == "POST" and not path:
            action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", ["unknown"])[0]
            return f"sts:{action}"
        key = (method, path)
        if key not in self.cache:
            segs = path.split("/") if path else []
            best, best_literals = "unknown", -1
            for m, route, name in self.routes:
                if m != method or len(route) != len(segs):
                    continue
                if all(r.startswith("{") or r == s for r, s in zip(route, segs)):
                    literals = sum(not r.startswith("{") for r in route)
                    if literals > best_literals:
                        best, best_literals = name, literals
            self.cache[key] = best
        return self.cache[key]


def achieved_rate(forwarded, window):
    """Requests per second: those after the first over the window from the first to the last; None for a
    window under a second (a burst has no rate to speak of)."""
    return (forwarded - 1) / window if window >= 1.0 else None


class ThrottleProxy(ListProxy):
    """ListProxy that holds each operation to a rate quota, as AWS does.

    `quotas` maps an operation name (CreateThing, ListThingPrincipals, ..., see OperationNames) to its quota
    in requests per second; `default` is the quota of the other IoT operations (None: unlimited).  STS is
    not held to any.  Each quota is a token
    bucket that holds one second's worth of requests (at least one).  A request over quota is answered
    here, not forwarded, the way AWS IoT answers it (botocore's model: HTTP 400; the code in
    x-amzn-ErrorType, a JSON body with "message").

    `stats()` gives per operation: requests forwarded and throttled, the busy window (first to last
    forwarded request, seconds), the rate achieved over it, and both counts per second since
    `reset_stats()`, which starts a new count (a timeline shows whether a rate short of the quota is a slow
    start, dips or a long tail).
    """

    def __init__(self, upstream, quotas=None, default=None):
        super().__init__(upstream)
        self.quotas, self.default = dict(quotas or {}), default
        self.names = OperationNames()
        self.buckets = {}
        self.reset_stats()

    def quota(self, op):
        return None if op.startswith("sts:") else self.quotas.get(op, self.default)

    def reset_stats(self):
        with self.lock:
            self.counts, self.started = {}, time.monotonic()

    def _admit(self, op, now):
        """True if `op` has a token now (one is taken), False if it is over quota."""
        rate = self.quota(op)
        if rate is None:
            return True
        capacity = max(1.0, float(rate))
        tokens, last = self.buckets.get(op, (capacity, now))
        tokens = min(capacity, tokens + (now - last) * rate)
        ok = tokens >= 1.0
        self.buckets[op] = (tokens - 1.0 if ok else tokens, now)
        return ok

    def _before(self, handler):
        op = self.names(handler.command, handler.path, handler.body)
        now = time.monotonic()
        with self.lock:
            ok = self._admit(op, now)
            c = self.counts.setdefault(op, {"forwarded": 0, "throttled": 0, "first": now, "last": now,
                                            "per_second": []})
            second = int(now - self.started)
            while len(c["per_second"]) <= second:
                c["per_second"].append([0, 0])
            c["per_second"][second][0 if ok else 1] += 1
            if ok:
                c["forwarded"] += 1
                c["last"] = now
            else:
                c["throttled"] += 1
        if ok:
            return None
        aws_error(handler, 400, "ThrottlingException", "Rate exceeded", request_id=f"throttled-{op}")
        return "handled"

    def stats(self):
        """{operation: {"forwarded", "throttled", "window", "tps", "quota", "per_second"}}; tps: achieved_rate;
        per_second: [forwarded, throttled] in each second since reset_stats()."""
        with self.lock:
            counts = {op: dict(c, per_second=[list(n) for n in c["per_second"]]) for op, c in self.counts.items()}
        out = {}
        for op, c in sorted(counts.items()):
            window = c["last"] - c["first"]
            out[op] = {"forwarded": c["forwarded"], "throttled": c["throttled"], "window": window,
                       "tps": achieved_rate(c["forwarded"], window), "quota": self.quota(op),
                       "per_second": c["per_second"]}
        return out
