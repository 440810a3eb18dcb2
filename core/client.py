"""The one definition of the client's address, for login throttling (django-axes) and the security log.

Behind reverse proxies REMOTE_ADDR is the nearest proxy, and X-Forwarded-For lists the addresses each
proxy received the request from, the nearest last. Only the entries our own proxies appended can be
trusted: anything further left was sent by the client and may be made up. With DGR_PROXY_COUNT
trusted proxies (DJANGO_PROXY_COUNT) the client is therefore the count-th entry from the right.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address of the client, trusting exactly settings.DGR_PROXY_COUNT proxies in front.

    A request that arrives with fewer X-Forwarded-For entries than proxies did not pass the configured
    chain (or a proxy is misconfigured): its header cannot be trusted, so REMOTE_ADDR is used, as it is
    for an entry that is not an IP address."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "DGR_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
