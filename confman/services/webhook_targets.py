"""Where webhooks may go: public internet addresses only, checked when a receiver is registered and again on every
connection, so an organizer cannot make the worker POST into the server's own network (SSRF, issue 19 finding 2).

The check resolves the name and refuses loopback, private, link-local, unique-local, shared, reserved and
multicast addresses, however the address is spelled (`0x7f000001`, `2130706433`, `[::ffff:127.0.0.1]`). The
connection is then made to the checked address itself, so a name that resolves differently a moment later (DNS
rebinding) gains nothing. Redirects are not followed. Operators whose receivers are internal list them in
CONFMAN_WEBHOOK_ALLOW (names, addresses or networks such as 10.1.0.0/16).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from collections.abc import Iterable
from urllib.parse import urlsplit

from confman.services import ConfmanError

_allowed_names: frozenset[str] = frozenset()
_allowed_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()


class TargetRefused(ConfmanError):
    pass


def configure(allow: Iterable[str] | str | None) -> None:
    """Set the operator's allow-list (CONFMAN_WEBHOOK_ALLOW: a list, or names separated by commas)."""
    global _allowed_names, _allowed_networks
    entries = [e.strip() for e in (allow.split(",") if isinstance(allow, str) else allow or []) if e.strip()]
    names, networks = set(), []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    _allowed_names, _allowed_networks = frozenset(names), tuple(networks)


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[tuple]:
    """getaddrinfo() for `host`, when every address it names may receive webhooks. Raises TargetRefused, or
    socket.gaierror when the name does not resolve."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if host.lower().rstrip(".") in _allowed_names:
        return infos
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not (_is_public(address) or any(address in network for network in _allowed_networks)):
            raise TargetRefused(
                "This address leads into a private or local network, where webhooks may not go. Use the "
                "receiver's public address (the server's operator can allow internal receivers).")
    return infos


def check_url(url: str) -> None:
    """At registration. A name that does not resolve yet passes: it is checked again before every send."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused("The port in this address is not a number from 1 to 65535.") from None
    try:
        resolve(parts.hostname or "", port)
    except (socket.gaierror, UnicodeError):
        pass


def _create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **_kwargs):
    """socket.create_connection, to the addresses just checked and nowhere else."""
    host, port = address
    error: OSError | None = None
    for family, kind, proto, _name, sockaddr in resolve(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"{host} has no address")


def _guarded(connection_class):
    def make(host, **kwargs):
        connection = connection_class(host, **kwargs)
        connection._create_connection = _create_connection  # both HTTP and HTTPS connect through this
        return connection
    return make


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_guarded(http.client.HTTPConnection), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_guarded(http.client.HTTPSConnection), req, context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx answer is a failed delivery: following it could lead anywhere."""

    def redirect_request(self, *args, **kwargs):
        return None


# No proxies from the environment either: a proxy would connect on our behalf, past the check.
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _GuardedHTTPHandler, _GuardedHTTPSHandler,
                                     _NoRedirects)
