"""What happens at every login and logout: the activity line, the session index, 2FA."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from balcao.accounts import services, two_factor
from balcao.accounts.models import AccountEvent, UserSession


@receiver(user_logged_in, dispatch_uid="accounts_login")
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    # The absolute session lifetime counts from here (SessionTimeoutMiddleware).
    request.session["started_at"] = request.session["last_seen"] = int(time.time())
    services.record_event(user=user, kind=AccountEvent.Kind.LOGIN, request=request)
    services.remember_session(user=user, request=request)
    step = two_factor.pending_step(user)
    if step:
        request.session[two_factor.SESSION_FLAG] = step
    else:
        request.session.pop(two_factor.SESSION_FLAG, None)


@receiver(user_logged_out, dispatch_uid="accounts_logout")
def on_logout(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
