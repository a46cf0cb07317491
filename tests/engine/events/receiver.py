"""A webhook receiver for tests: a small HTTP server on a free port that records requests
and can be "down" (not listening) or answer a chosen status."""
from __future__ import annotations

import http.server
import json
import threading


class Receiver:
    def __init__(self, port: int, status: int = 200):
        self.port, self.status = port, status
        self.requests: list[dict] = []
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "Receiver":
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.requests.append({"headers": dict(self.headers), "body": body,
                                       "event": json.loads(body)})
                self.send_response(owner.status)
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
