"""Headers every response needs beyond Django's own SecurityMiddleware."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


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
