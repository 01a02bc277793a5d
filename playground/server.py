"""Daphne as LayerLab serves with it: deadlines for slow clients and a cap on connections per address.

    python -m playground.server [-b ADDRESS] [-p PORT] [other daphne options]

Daphne hands a request to the application only once Twisted has read all of it,
and Twisted waits as long as each byte comes within a minute of the last: a
body trickled at one byte a second is read for as long as the client likes, and
no ASGI middleware ever sees it. So the deadline sits in front of Twisted's HTTP
channel: a client has ``LAYERLAB_REQUEST_TIMEOUT`` seconds, from when its
connection opens or its previous answer ends, to send a whole request, headers
and body; a late one is answered 408 and closed, an idle one closed. Each client
address may hold ``LAYERLAB_MAX_CONNECTIONS_PER_ADDRESS`` connections (HTTP and
WebSocket alike); one more is answered 429 as soon as it says anything, or closed
if it says nothing for a second. A body over its address's limit
(``playground/limits.py``: 2 MB for JSON, more for uploads) is answered 413 as
soon as its declared length or its bytes so far pass it, before Twisted writes
it to a temporary file. Daphne's own knobs (how long the application
has to answer, how long a WebSocket handshake may take) are set from settings
too, and its error pages become the API's JSON errors. The settings are listed
in README.md.
"""
from __future__ import annotations

import io
import ipaddress
import os
import sys
import time
from collections import Counter
from urllib.parse import unquote, urlsplit

from daphne.cli import CommandLineInterface
from daphne.http_protocol import WebRequest
from daphne.server import Server
from twisted.internet import task
from twisted.protocols.policies import ProtocolWrapper, WrappingFactory

from playground.limits import BodyLimits, error_body

APPLICATION = "playground.asgi:application"
CHECK_SECONDS = 1.0
REFUSED_GRACE = 1.0  # seconds a refused connection has to say something before it is simply closed
DRAIN_SECONDS = 5.0  # how long the rest of a refused body is read and dropped, so the client sees the 413

DAPHNE_ERRORS = {
    400: "the request is malformed",
    500: "something went wrong on the server; try again",
    503: "the server took too long to answer; try again",
}


def raw_response(status: int, reason: str, message: str) -> bytes:
    """A whole HTTP answer carrying the API's JSON error, for a connection no request object owns."""
    body = error_body(message)
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


def request_path(target: bytes) -> str:
    """The path of a request line's target, decoded as Daphne decodes it for the application."""
    try:
        return unquote(urlsplit(target.decode("ascii")).path) or "/"
    except (UnicodeDecodeError, ValueError):
        return "/"


def address_key(host: str | None) -> str | None:
    """The client address as the cap counts it: an IPv4 address mapped into IPv6 counts as itself."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return host
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


class GuardedRequest(WebRequest):
    """Daphne's request, which tells its connection when it has arrived whole and when it has been answered.

    It counts its body against its path's limit as the body arrives. Its own error answers (a bad
    header, the application timed out or crashed) are the API's JSON, not HTML.
    """

    body_limit = 0
    body_seen = 0
    refused_body = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Twisted would parse a form body itself, for nothing (Daphne hands the raw body on), and
        # answer a malformed multipart one with a bare 400 that is not the API's JSON.
        self._parsePOSTFormSubmission = False

    def gotLength(self, length):
        connection = self.transport
        if not isinstance(connection, GuardedConnection):
            return super().gotLength(length)
        # Only the channel has the request line yet: the request learns its path once the body is in.
        path = request_path(getattr(self.channel, "_path", b"/"))
        self.body_limit = connection.factory.body_limits.for_path(path)
        if length is not None and length > self.body_limit:
            self.refuse_body(connection, path)
            return
        super().gotLength(length)

    def handleContentChunk(self, data):
        if self.refused_body:
            return
        self.body_seen += len(data)
        connection = self.transport
        if isinstance(connection, GuardedConnection) and self.body_seen > self.body_limit:
            self.refuse_body(connection, request_path(getattr(self.channel, "_path", b"/")))
            return
        super().handleContentChunk(data)

    def refuse_body(self, connection: GuardedConnection, path: str) -> None:
        """Answer 413 and close the connection: nothing of the body is kept, and what still comes is dropped."""
        self.refused_body = True
        self.content = io.BytesIO()
        connection.close(raw_response(413, "Content Too Large", connection.factory.body_limits.refusal(path)), drain=True)

    def process(self):
        if self.refused_body:
            return  # answered 413 already: the rest of a body that came in one read reaches no application
        connection = self.transport  # Daphne hands it to the WebSocket, if this is an upgrade
        if isinstance(connection, GuardedConnection):
            connection.handling = True
        return super().process()

    def finish(self):
        connection = self.transport
        super().finish()
        if isinstance(connection, GuardedConnection):
            connection.answered()

    def basic_error(self, status, status_text, body):
        payload = error_body(DAPHNE_ERRORS.get(status, body))
        self.handle_reply({"type": "http.response.start", "status": status,
                           "headers": [(b"Content-Type", b"application/json"),
                                       (b"Content-Length", str(len(payload)).encode())]})
        self.handle_reply({"type": "http.response.body", "body": payload})


class GuardedConnection(ProtocolWrapper):
    """One client connection, between the socket and Daphne's HTTP channel (or, once upgraded, its WebSocket)."""

    address: str | None = None
    counted = False  # it holds one of its address's places
    refused = False  # over its address's cap: its HTTP channel never starts
    closed = False  # answered or timed out by the guard: nothing more is read
    handling = False  # a request has arrived whole and is not answered yet (or it became a WebSocket)
    heard = False  # bytes of the next request have arrived
    waiting_since = 0.0  # since when it owes a request
    draining = False  # answered before its body ended: what it still sends is read and dropped
    closed_at = 0.0

    def connectionMade(self):
        self.waiting_since = time.monotonic()
        if self.refused:
            self.factory.registerProtocol(self)
        else:
            super().connectionMade()

    def dataReceived(self, data):
        if self.closed:
            return
        if self.refused:
            self.close(raw_response(429, "Too Many Requests", "too many connections from your address; "
                                                              "close a few tabs or try again in a minute"))
            return
        self.heard = True
        super().dataReceived(data)

    def connectionLost(self, reason):
        self.factory.unregisterProtocol(self)
        if not self.refused:
            self.wrappedProtocol.connectionLost(reason)
        self.wrappedProtocol = None

    def answered(self) -> None:
        self.handling, self.heard, self.waiting_since = False, False, time.monotonic()

    def close(self, answer: bytes = b"", drain: bool = False) -> None:
        """Answer (if given) and close. With ``drain`` the client may still be sending a body: only the
        sending side closes, so that it reads the answer instead of a reset, and what it goes on
        sending is read and dropped for ``DRAIN_SECONDS`` at most."""
        if self.closed:
            return
        self.closed = True
        self.closed_at = time.monotonic()
        if answer:
            self.transport.write(answer)
        if drain and hasattr(self.transport, "loseWriteConnection"):
            self.draining = True
            self.transport.loseWriteConnection()
        else:
            self.transport.loseConnection()

    def write(self, data):
        # Once the guard has answered, Daphne's channel says nothing more (a "100 Continue" after a 413).
        if not self.closed:
            super().write(data)

    def writeSequence(self, data):
        if not self.closed:
            super().writeSequence(data)

    def check(self, now: float) -> None:
        """Close a connection that owes a request past its deadline: 408 if part of one came, silently if none."""
        if self.closed:
            if self.draining and now - self.closed_at >= DRAIN_SECONDS:
                self.draining = False
                self.transport.abortConnection()
            return
        if self.handling:
            return
        if now - self.waiting_since >= (REFUSED_GRACE if self.refused else self.factory.request_timeout):
            self.close(raw_response(408, "Request Timeout",
                                    "the request took too long to arrive; check the connection and send it again")
                       if self.heard else b"")


class ClientGuard(WrappingFactory):
    """Wraps Daphne's HTTP factory: counts connections per address and checks every deadline once a second."""

    protocol = GuardedConnection

    def __init__(self, wrapped, request_timeout: float, max_per_address: int, uncapped: list[str],
                 body_limits: BodyLimits):
        super().__init__(wrapped)
        self.body_limits = body_limits
        self.request_timeout = request_timeout
        self.max_per_address = max_per_address
        self.uncapped = {address_key(host) for host in uncapped}
        self.per_address: Counter = Counter()
        self.checker = task.LoopingCall(self.check_all)

    def startFactory(self):
        self.checker.start(CHECK_SECONDS, now=False)

    def stopFactory(self):
        if self.checker.running:
            self.checker.stop()

    def buildProtocol(self, addr):
        connection = super().buildProtocol(addr)
        connection.wrappedProtocol.requestFactory = GuardedRequest
        connection.address = address_key(getattr(addr, "host", None))
        if connection.address not in self.uncapped:
            if self.per_address[connection.address] >= self.max_per_address:
                connection.refused = True
            else:
                self.per_address[connection.address] += 1
                connection.counted = True
        return connection

    def unregisterProtocol(self, connection):
        self.protocols.pop(connection, None)
        if connection.counted:
            connection.counted = False
            self.per_address[connection.address] -= 1
            if not self.per_address[connection.address]:
                del self.per_address[connection.address]

    def check_all(self) -> None:
        now = time.monotonic()
        for connection in list(self.protocols):
            connection.check(now)


class GuardedServer(Server):
    """Daphne's server with its HTTP factory behind a ClientGuard."""

    # Daphne builds its HTTP factory inside run() and listens with it at once; taking it
    # through this property is the one place to put the guard in front.
    @property
    def http_factory(self):
        return self._guard

    @http_factory.setter
    def http_factory(self, factory):
        from django.conf import settings

        self._guard = ClientGuard(factory, settings.LAYERLAB_REQUEST_TIMEOUT,
                                  settings.LAYERLAB_MAX_CONNECTIONS_PER_ADDRESS, settings.LAYERLAB_UNCAPPED_ADDRESSES,
                                  BodyLimits.from_settings())


class GuardedCommandLine(CommandLineInterface):
    server_class = GuardedServer


def daphne_arguments(argv: list[str]) -> list[str]:
    """Daphne's command line: the timeouts from settings first (so that given options win), then the application."""
    from django.conf import settings

    return ["--http-timeout", str(settings.LAYERLAB_HTTP_TIMEOUT),
            "--websocket_connect_timeout", str(settings.LAYERLAB_WEBSOCKET_CONNECT_TIMEOUT),
            *argv, APPLICATION]


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
    GuardedCommandLine().run(daphne_arguments(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
