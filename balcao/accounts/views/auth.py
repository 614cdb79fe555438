"""Entrar, Sair, and "Esqueceu-se da Palavra-Chave?" (manual section 5)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from balcao.accounts import forms, services, throttling


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def login_throttled(request, credentials, *args, **kwargs):
    """django-axes: too many failed attempts for this username from this address.

    A cool-off that ends by itself (no lockout that waits for an administrator), and the
    message says when to try again.
    """
    until = timezone.localtime(throttling.retry_time(request, credentials))
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

    form_class = forms.SetPasswordForm  # type: ignore[assignment]  # takes user=; form_valid is ours
    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        services.reset_password(
            user=form.user, new_password=form.cleaned_data["new_password1"], request=self.request
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("A sua password foi definida. Já pode entrar com ela."))
        return redirect("accounts:login")
