"""Entrar, Sair, and "Esqueceu-se da Palavra-Chave?" (manual section 5)."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from balcao.accounts import forms, services


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def retry_time(request, credentials) -> datetime.datetime:
    """When this username may try again from this address: the last failure + the cool-off."""
    from axes.models import AccessAttempt

    last = AccessAttempt.objects.filter(
        username=throttle_key(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME


def login_throttled(request, credentials, *args, **kwargs):
    """django-axes: too many failed attempts for this username from this address.

    A cool-off that ends by itself (no lockout that waits for an administrator), and the
    message says when to try again.
    """
    until = timezone.localtime(retry_time(request, credentials))
    message = _(
        "Demasiadas tentativas falhadas. Por segurança, pode tentar de novo a partir das "
        "%(time)s (daqui a %(minutes)d minutos), ou recuperar a sua password."
    ) % {
        "time": formats.time_format(until, "H:i"),
        "minutes": max(1, round((until - timezone.now()).total_seconds() / 60)),
    }
    form = forms.LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "throttled": message}, status=429)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address is registered."""

    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        }


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The single-use link (valid PASSWORD_RESET_TIMEOUT, one hour): a new password."""

    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        services.reset_password(
            user=form.user, new_password=form.cleaned_data["new_password1"], request=self.request
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("A sua password foi definida. Já pode entrar com ela."))
        return redirect("accounts:login")


def throttle_key(request, credentials) -> str:
    """django-axes: the username an attempt counts against (AXES_USERNAME_CALLABLE).

    Case and the choice of username or e-mail do not give an attacker fresh attempts:
    "ANA", "ana" and ana's e-mail all count as "ana".
    """
    from balcao.accounts.models import User

    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    value = value.strip().lower()
    if "@" in value:
        username = (
            User.objects.filter(email__iexact=value).values_list("username", flat=True).first()
        )
        if username:
            return username.lower()
    return value
