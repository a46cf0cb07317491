"""`arn:aws:states:::http:invoke`: the HTTP Task, with real HTTP (requests).

Registered under "http:invoke", which is how engine.asl.handlers resolves that resource
(engine.apps loads this module in every process, so the web process's TestState /
StartSyncExecution see it too). AWS answers {Headers, ResponseBody, StatusCode, StatusText};
a non-2xx status fails the state with `States.Http.StatusCode.<code>`. Deviation:
Authentication / ConnectionArn are accepted and ignored (there are no EventBridge
connections here).

Reach (server-side request forgery guard): only http/https; the host is resolved once and
every address it resolves to must be public — loopback, private, link-local, reserved,
multicast, unspecified and other non-global addresses (IPv4 and IPv6, IPv4-mapped/6to4/
Teredo embedded IPv4 included) are refused unless `settings.HTTP_TASK_ALLOWED_HOSTS` lists
the host (a name or IP, or a CIDR network containing the address). The connection is made to
the address that was checked (no second lookup: DNS rebinding cannot switch it), while the
Host header, TLS SNI and certificate verification keep using the host name. Redirects are
not followed (a 3xx is the task's response, so it fails with States.Http.StatusCode.3xx), and
environment proxies are ignored. A refusal fails the task with States.Http.Socket.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from engine.asl.handlers import TaskFailure, task_handler

TIMEOUT_SECONDS = 60  # the Task's TimeoutSeconds still applies on top (invoke.py)
SCHEMES = ("http", "https")


class Refused(Exception):
    """The request was refused before connecting (the cause names the host)."""


def _allowed_entries() -> list[str]:
    return [str(e).strip().lower().rstrip(".") for e in
            getattr(settings, "HTTP_TASK_ALLOWED_HOSTS", []) or [] if str(e).strip()]


def _bare(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def _embedded(ip):
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo), if any."""
    if ip.version != 6:
        return []
    found = [ip.ipv4_mapped, ip.sixtofour, ip.teredo[1] if ip.teredo else None]
    if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return [a for a in found if a is not None]


def _why_internal(ip) -> str | None:
    for address in [ip, *_embedded(ip)]:
        for attribute, label in (("is_loopback", "loopback"), ("is_unspecified", "unspecified"),
                                 ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                                 ("is_private", "private"), ("is_reserved", "reserved")):
            if getattr(address, attribute):
                return label
        if not address.is_global:
            return "non-public"
    return None


def _host_allowed(host: str, ip, entries: list[str]) -> bool:
    for entry in entries:
        if entry == host:
            return True
        try:
            if ip in ipaddress.ip_network(entry.strip("[]"), strict=False):
                return True
        except ValueError:
            continue
    return False


def resolve_checked(host: str, port: int, allowed: list[str] | None = None,
                    setting: str = "HTTP_TASK_ALLOWED_HOSTS") -> str:
    """The address to connect to for host:port, or Refused if any address is internal.

    `allowed`: the allow-list to apply (default: HTTP_TASK_ALLOWED_HOSTS); `setting` is the
    name a refusal tells the operator to edit (webhooks use their own list).
    """
    host = _bare(host)
    if not host:
        raise Refused("The ApiEndpoint has no host")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Refused(f"Could not resolve host {host!r}: {exc}") from None
    addresses = []
    for info in infos:
        address = info[4][0].split("%", 1)[0]  # drop an IPv6 scope id
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise Refused(f"Could not resolve host {host!r}")
    entries = _allowed_entries() if allowed is None else allowed
    for address in addresses:
        ip = ipaddress.ip_address(address)
        why = _why_internal(ip)
        if why and not _host_allowed(host, ip, entries):
            raise Refused(f"Refused to connect to host {host!r}: it resolves to {address}, a "
                          f"{why} address (list the host in {setting} to allow it)")
    return addresses[0]


def _pinned_connection(base, pins: dict):
    class Pinned(base):
        def _new_conn(self):
            # Connect to the address resolve_checked() approved for this host; self.host
            # (used for the Host header, SNI and certificate matching) stays the name.
            address = pins.get(_bare(self.host))
            if address is None:
                raise Refused(f"Refused to connect to host {self.host!r}: it was not checked")
            name = self._dns_host
            self._dns_host = address
            try:
                return super()._new_conn()
            finally:
                self._dns_host = name

    return Pinned


class PinnedAdapter(HTTPAdapter):
    """Checks each request's host and makes its connections go to the checked address."""

    def __init__(self, *args, allowed: list[str] | None = None,
                 setting: str = "HTTP_TASK_ALLOWED_HOSTS", **kwargs):
        self.pins: dict[str, str] = {}
        self.allowed, self.setting = allowed, setting
        super().__init__(*args, **kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        pins = self.pins
        http_pool = type("PinnedHTTPPool", (HTTPConnectionPool,),
                         {"ConnectionCls": _pinned_connection(HTTPConnection, pins)})
        https_pool = type("PinnedHTTPSPool", (HTTPSConnectionPool,),
                          {"ConnectionCls": _pinned_connection(HTTPSConnection, pins)})
        self.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}

    def proxy_manager_for(self, *args, **kwargs):  # a proxy would resolve the host itself
        raise Refused("The HTTP task does not use proxies")

    def send(self, request, *args, **kwargs):
        parts = urlsplit(request.url)
        if parts.scheme.lower() not in SCHEMES:
            raise Refused(f"Refused the URL scheme {parts.scheme!r}: only http and https")
        try:
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError:
            raise Refused("The ApiEndpoint has an invalid port") from None
        host = _bare(parts.hostname or "")
        self.pins[host] = resolve_checked(host, port, self.allowed, self.setting)
        return super().send(request, *args, **kwargs)


def _session() -> requests.Session:
    return guarded_session()


def guarded_session(allowed: list[str] | None = None,
                    setting: str = "HTTP_TASK_ALLOWED_HOSTS") -> requests.Session:
    """A requests session under this module's guard (webhook delivery uses it too, with
    its own allow-list)."""
    session = requests.Session()
    session.trust_env = False  # no environment proxies (they would resolve the host)
    adapter = PinnedAdapter(max_retries=0, allowed=allowed, setting=setting)
    for scheme in list(session.adapters):
        session.adapters.pop(scheme)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@task_handler("http:invoke")
def http_invoke(params):
    params = params or {}
    endpoint = params.get("ApiEndpoint")
    if not endpoint:
        raise TaskFailure("States.Runtime", "The ApiEndpoint field is required")
    scheme = urlsplit(str(endpoint)).scheme.lower()
    if scheme not in SCHEMES:
        raise TaskFailure("States.Http.Socket",
                          f"Refused the URL scheme {scheme!r} of the ApiEndpoint: only http "
                          "and https")
    body = params.get("RequestBody")
    kwargs = {"params": params.get("QueryParameters") or None,
              "headers": dict(params.get("Headers") or {}), "timeout": TIMEOUT_SECONDS,
              "allow_redirects": False}
    if isinstance(body, (dict, list)):
        kwargs["json"] = body
    elif body is not None:
        kwargs["data"] = str(body)
    try:
        with _session() as session:
            resp = session.request((params.get("Method") or "GET").upper(), endpoint, **kwargs)
    except Refused as exc:
        raise TaskFailure("States.Http.Socket", str(exc)) from None
    except requests.RequestException as exc:
        refused = _refusal(exc)
        raise TaskFailure("States.Http.Socket", str(refused or exc)) from None
    try:
        response_body = resp.json()
    except ValueError:
        response_body = resp.text
    if not 200 <= resp.status_code < 300:
        raise TaskFailure(f"States.Http.StatusCode.{resp.status_code}",
                          f"{resp.status_code} {resp.reason}: {resp.text[:1000]}")
    return {"Headers": {k: [v] for k, v in resp.headers.items()},
            "ResponseBody": response_body, "StatusCode": resp.status_code,
            "StatusText": resp.reason}


def _refusal(exc: BaseException) -> Refused | None:
    """A Refused raised inside urllib3 and wrapped by it, if that is what this was."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, Refused):
            return exc
        exc = exc.__cause__ or exc.__context__ or (exc.args[0] if exc.args and
                                                   isinstance(exc.args[0], BaseException)
                                                   else None)
    return None
