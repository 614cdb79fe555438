"""Session timeouts and the interface language chosen in the profile."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT seconds without a request.

    The absolute lifetime is SESSION_COOKIE_AGE (the session is not extended on use).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            else:
                request.session["last_seen"] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user sees the interface in the language of their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
