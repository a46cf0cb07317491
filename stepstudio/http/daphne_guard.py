"""Daphne's side of the body limit: a body over the limit is refused while it arrives.

Twisted reads a whole request body (into a temporary file) before daphne sees the request,
then daphne puts all of it, in request_buffer_size pieces, into the application's queue at
once: a 1 GiB upload cost 1 GiB of the web process's memory before any ASGI middleware could
say no. This request class counts the bytes as Twisted receives them: a Content-Length over
the limit is answered 413 before the body is read; a chunked body is answered 413 as soon as
it passes the limit, and what follows is discarded, never stored.

After a refusal the connection stays open a few seconds (LINGER_SECONDS) while the rest of
the body is read and dropped, as nginx's lingering close does: closing at once would make the
kernel reset the connection and the client would lose the 413 with it.

`install()` swaps daphne's HTTP factory for ours; daphne's Server builds the factory by name
in run(), after the application module (stepstudio.asgi, which calls install) was loaded, so
both `daphne stepstudio.asgi:application` and `manage.py serve` get it.
"""
from __future__ import annotations

import io

from daphne import server as daphne_server  # installs Twisted's asyncio reactor first
from daphne.http_protocol import HTTPFactory, WebRequest
from twisted.internet import reactor

from . import refusals

LINGER_SECONDS = 5


class BoundedRequest(WebRequest):
    body_limit: int = 0  # set by install()

    def gotLength(self, length):
        self._received = 0
        self._refused = False
        self._linger = None
        if length is not None and length > self.body_limit:
            # No "100 Continue" either: the answer is already known.
            self.requestHeaders.removeHeader(b"Expect")
            self.content = io.BytesIO()
            self._refuse()
            return
        super().gotLength(length)

    def handleContentChunk(self, data):
        if self._refused:
            return
        self._received += len(data)
        if self._received > self.body_limit:
            self.content.close()  # the temporary file with what was kept so far
            self.content = io.BytesIO()
            self._refuse()
            return
        super().handleContentChunk(data)

    def requestReceived(self, command, path, version):
        if self._refused:
            # The client has sent all of it: nothing more to drain.
            if self._linger is not None and self._linger.active():
                self._linger.cancel()
            self._close()
            return
        super().requestReceived(command, path, version)

    def _refuse(self):
        self._refused = True
        path = (getattr(self.channel, "_path", b"/") or b"/").split(b"?", 1)[0]
        names = {name.lower().decode("latin-1")
                 for name, _ in self.requestHeaders.getAllRawHeaders()}
        status, headers, body = refusals.too_large(path.decode("latin-1"), names,
                                                   self.body_limit)
        head = [b"HTTP/1.1 %d Content Too Large" % status, *(k + b": " + v for k, v in headers),
                b"connection: close"]
        self.channel.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        self._linger = reactor.callLater(LINGER_SECONDS, self._close)

    def _close(self):
        if self.channel is not None and self.channel.transport is not None:
            self.channel.transport.loseConnection()


class BoundedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr):
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = BoundedRequest
        return protocol


def install(limit: int) -> None:
    BoundedRequest.body_limit = limit
    daphne_server.HTTPFactory = BoundedHTTPFactory
