"""Session timeouts and the interface language chosen in the profile."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils import translation


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT seconds without a request, and
    SESSION_COOKIE_AGE seconds after it began however busy it is (ASVS 5.0 V7.3).

    Saving the session on use renews the store's expiry, so the absolute limit is kept
    here, from the login (set by the user_logged_in receiver). ``last_seen`` is written at most
    once a minute, to spare the session store a write on every request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("started_at", now)
            last_seen = request.session.get("last_seen", now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
            elif now - last_seen >= 60 or "last_seen" not in request.session:
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


class TwoFactorMiddleware:
    """Until the second step is done, a signed-in user reaches only that step (and "Sair").

    Staff who must use two-factor login (OTP_REQUIRED_FOR_STAFF) are held whatever their
    session says, so the admin refuses them without a verified code too; customers who
    turned it on are held by the flag set at login (no query on every request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode

        from balcao.accounts import two_factor

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            step = request.session.get(two_factor.SESSION_FLAG, "")
            if not step and two_factor.otp_required(user):
                step = two_factor.pending_step(user)
            if step:
                target = reverse(
                    "accounts:otp_verify" if step == "verify" else "accounts:otp_setup"
                )
                allowed = {target, reverse("accounts:otp_verify"), reverse("accounts:logout")}
                if request.path not in allowed and not request.path.startswith(
                    "/" + settings.STATIC_URL.lstrip("/")
                ):
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
