"""Atividade da conta, "Terminar as outras sessões", and two-factor login."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from balcao.accounts import forms, services
from balcao.accounts import two_factor as tf
from balcao.core.redirects import safe_next_url

ACTIVITY_LINES = 30


@require_GET
def activity(request):
    """Recent logins (date, approximate device), password and e-mail changes."""
    events = request.user.events.all()[:ACTIVITY_LINES]
    sessions = request.user.sessions.exclude(session_key=request.session.session_key).count()
    return render(request, "accounts/activity.html", {"events": events, "other_sessions": sessions})


@require_POST
def end_other_sessions(request):
    ended = services.end_other_sessions(user=request.user, request=request)
    messages.success(
        request,
        _("As outras sessões terminaram (%(count)d). Esta continua aberta.") % {"count": ended},
    )
    return redirect("accounts:activity")


@require_GET
def two_factor(request):
    """Verificação em dois passos: on or off, and the recovery codes."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "has_totp": tf.has_totp(request.user),
            "required": tf.otp_required(request.user),
            "disable_form": forms.DisableTwoFactorForm(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Ativar a verificação em dois passos: scan the QR code, type the first code."""
    device = tf.setup_device(request.user)
    form = forms.OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = tf.confirm_device(user=request.user, device=device, request=request)
            otp_login(request, device)
            request.session.pop(tf.SESSION_FLAG, None)
            messages.success(
                request,
                _(
                    "A verificação em dois passos está ativa. As outras sessões abertas com a "
                    "sua conta terminaram."
                ),
            )
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": safe_next_url(request, "")},
            )
        form.add_error(
            "token", _("Este código não está certo. Escreva o código que a aplicação mostra agora.")
        )
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": tf.qr_svg(device),
            "key": tf.manual_key(device),
            "required": tf.otp_required(request.user),
            "next": safe_next_url(request, ""),
        },
    )


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of the login: a code from the app, or a recovery code."""
    if request.user.is_verified():
        return redirect(safe_next_url(request, "portal:home"))
    form = forms.OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session.pop(tf.SESSION_FLAG, None)
            services.rotate_session(request=request)
            return redirect(safe_next_url(request, "portal:home"))
        form.add_error("token", _("Este código não está certo ou já foi usado."))
    return render(
        request, "accounts/otp_verify.html", {"form": form, "next": safe_next_url(request, "")}
    )


@require_POST
def otp_disable(request):
    if tf.otp_required(request.user):
        messages.error(
            request, _("Nas contas de funcionário a verificação em dois passos é obrigatória.")
        )
        return redirect("accounts:two_factor")
    form = forms.DisableTwoFactorForm(request.user, request.POST)
    if form.is_valid():
        tf.disable(user=request.user, request=request)
        messages.success(request, _("A verificação em dois passos foi desativada."))
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor.html",
        {"has_totp": tf.has_totp(request.user), "required": False, "disable_form": form},
    )


@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), after the password."""
    form = forms.ConfirmPasswordForm(request.user, request.POST)
    if not tf.has_totp(request.user) or not form.is_valid():
        messages.error(request, _("Indique a sua password para gerar novos códigos."))
        return redirect("accounts:two_factor")
    codes = tf.new_recovery_codes(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": ""})
