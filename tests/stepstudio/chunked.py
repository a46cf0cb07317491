"""Raw HTTP helpers for the body-limit tests: requests with chunked bodies, signed or not."""
from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def pieces(body: bytes, size: int = 1000):
    """The body as an iterator: http.client then sends it with Transfer-Encoding: chunked."""
    for start in range(0, len(body), size):
        yield body[start:start + size]


def chunked(url: str, method: str, path: str, body: bytes, headers: dict) -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(method, path, body=pieces(body), headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def signed_headers(url: str, key: tuple[str, str], target: str, body: bytes) -> dict:
    """SigV4 headers botocore would send for this body, minus Content-Length."""
    request = AWSRequest(method="POST", url=url + "/", data=body, headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target})
    SigV4Auth(Credentials(*key), "states", "us-east-1").add_auth(request)
    return {k: v for k, v in request.headers.items() if k.lower() != "content-length"}


def raw_exchange(url: str, head: bytes, body_chunks, read_timeout: float = 30) -> bytes:
    """Send a request head and body pieces over a socket, tolerate the server closing early,
    and return everything it answered."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=read_timeout) as sock:
        sock.sendall(head)
        try:
            for piece in body_chunks:
                sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused while sending: the answer is what counts
        answer = b""
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except (ConnectionResetError, socket.timeout):
            pass
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def json_of(answer: bytes) -> dict:
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])
