"""What one request loads once and several parts of the page reuse (issue 14).

The middleware gives each signed-in request's user a fresh dict; selectors keep in it what
the header, the page's access check and the notices would otherwise each fetch again (the
user's active subscriptions). The user object lives for one request only (the
authentication middleware loads it anew each time), so nothing outlives the request; a
user object outside a request (a service, a test, a task) has no dict and always queries.
"""

from typing import Any

ATTRIBUTE = "_balcao_request_cache"


def start(user: Any) -> None:
    """Give this request's user an empty cache (RequestCacheMiddleware)."""
    setattr(user, ATTRIBUTE, {})


def of(user: Any) -> dict[str, Any] | None:
    """The user's cache in this request, or None outside a request."""
    return getattr(user, ATTRIBUTE, None)
