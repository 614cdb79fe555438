"""Where to go after a form that carries a ``next`` field: only back to a page of this site."""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, fallback: str) -> str:
    """The request's ``next`` (POST, then GET) if it is a local path, else ``fallback``.

    A local path starts with "/" and stays on this host (no "//evil.example", no
    "javascript:", no control characters): an open redirect would let a phishing link
    borrow the portal's address. Anything else, "foo" included (which ``redirect()``
    would try to resolve as a view name and fail on), gives ``fallback``, a URL name
    or a path, resolved here; an empty ``fallback`` stays empty.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")  # "//" alone passes Django's check: no host to compare
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return resolve_url(fallback) if fallback else ""
