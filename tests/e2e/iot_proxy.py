"""A loopback proxy in front of moto that makes two IoT lists behave as AWS's can and moto's do not.

- ListAttachedPolicies answers list nothing while `hide` is above zero (each such answer counts it
  down): AWS's lists lag behind AttachPolicy.
- With `page_size`, ListAttachedPolicies (marker/nextMarker) and ListTagsForResource
  (nextToken/nextToken) answer in pages of that size; moto always answers in one page.

Everything else is passed through unchanged.  `lists` counts the ListAttachedPolicies calls, `pages`
every page served with a next marker or token.
"""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ListProxy:
    def __init__(self, upstream, hide=0, page_size=None):
        self.upstream, self.hide, self.page_size = upstream, hide, page_size
        self.lists = self.pages = 0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
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

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
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
                self.send_response(status)
                for k, v in rheaders.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        return Handler
