"""Headers every response needs beyond Django's own SecurityMiddleware; the request log and
the per-request cache.
"""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from balcao.core import request_cache


class PrivateResponseHeadersMiddleware:
    """``Permissions-Policy`` on every response; ``Cache-Control: no-store`` for signed-in users.

    A signed-in page (and a data export) holds personal data: no browser or proxy may keep
    a copy, and the back button after "Sair" must not show it again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class RequestCacheMiddleware:
    """Give each signed-in request's user an empty per-request cache (request_cache.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request_cache.start(user)
        return self.get_response(request)


# A request id a proxy may hand on (letters, digits, dashes; bounded): anything else is
# replaced by our own, so that a log line never carries what a client typed.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_logger = logging.getLogger("balcao.request")


class RequestLogMiddleware:
    """One log line per request: id, method, path (no query), status, duration, user id.

    Never an e-mail or a NIF: the user is named by the number of their row, the query
    string (where a search or a form may carry personal data) is left out. The id comes
    from the proxy's ``X-Request-ID`` when it looks like one, else a new one, and goes back
    in the response's ``X-Request-ID`` so that a customer's report finds its line.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        response["X-Request-ID"] = request.id
        request_logger.info(
            "%s %s %s %s %sms user=%s",
            request.id,
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            user_id if user_id is not None else "-",
            extra={
                "request_id": request.id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user_id,
            },
        )
        return response
