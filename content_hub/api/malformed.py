"""Requests that are not HTTP, answered with a problem document.

Bytes that uvicorn's HTTP parser refuses (a header name that is not a token,
a control character in a field value, broken framing) never reach the app:
uvicorn answers them itself with a ``400`` in ``text/plain``. A client of the
hub expects every 4xx to be an RFC 9457 problem document, so ``content-hub
serve`` runs uvicorn with the protocol classes below, which send the same
``400`` (and close the connection, as uvicorn does) as one.

Pass :data:`HTTP_PROTOCOL` as uvicorn's ``http`` setting; it is the class for
the parser uvicorn's ``auto`` would choose (httptools when installed, else h11).
"""

from __future__ import annotations

import msgspec
from uvicorn.protocols.http.h11_impl import H11Protocol

from content_hub.domain.errors import PROBLEM_BASE

SLUG = "malformed-http"
_TYPE = PROBLEM_BASE + SLUG


def problem_bytes(reason: str) -> bytes:
    """The problem document for bytes the HTTP parser refused."""
    return msgspec.json.encode(
        {
            "type": _TYPE,
            "title": "The request is not well-formed HTTP/1.1",
            "status": 400,
            "detail": f"{reason} The connection is closed.",
        }
    )


def _response(reason: str, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    body = problem_bytes(reason)
    return (
        b"HTTP/1.1 400 Bad Request\r\n"
        + b"".join(name + b": " + value + b"\r\n" for name, value in default_headers)
        + b"content-type: application/problem+json\r\n"
        b"content-length: "
        + str(len(body)).encode("ascii")
        + b"\r\n"
        + b"connection: close\r\n\r\n"
        + body
    )


class ProblemH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, refusing with a problem document."""

    def send_400_response(self, msg: str) -> None:
        self.transport.write(_response(msg, self.server_state.default_headers))
        self.transport.close()


HTTP_PROTOCOL: type = ProblemH11Protocol
try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a dependency (uvicorn[standard])
    pass
else:

    class ProblemHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol, refusing with a problem document."""

        def send_400_response(self, msg: str) -> None:
            self.transport.write(_response(msg, self.server_state.default_headers))
            self.transport.close()

    HTTP_PROTOCOL = ProblemHttpToolsProtocol
