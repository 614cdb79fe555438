"""O Meu Perfil (manual section 3) and Modificar Password (manual section 4)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from balcao.accounts import forms, services, two_factor
from balcao.core.forms import AddressForm
from balcao.core.models import Address


def _address_of(user) -> Address | None:
    if user.address_id is None:
        return None
    return (
        Address.objects.select_related("district", "municipality", "parish")
        .filter(pk=user.address_id)
        .first()
    )


@require_GET
def profile(request):
    """Dados do titular and Informação da morada, each with "Editar"."""
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": request.user,
            "address": _address_of(request.user),
            "has_totp": two_factor.has_totp(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_holder(request):
    form = forms.HolderDataForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_holder_data(user=request.user, data=form.cleaned_data, request=request)
        # The confirmation already in the language just chosen (the next page's language).
        translation.activate(request.user.language)
        request.LANGUAGE_CODE = translation.get_language()
        messages.success(request, _("Os dados do titular foram guardados."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_holder.html", {"form": form})


@require_http_methods(["GET", "POST"])
def edit_address(request):
    current = _address_of(request.user)
    form = AddressForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.update_address(user=request.user, address=form.save(commit=False), request=request)
        messages.success(request, _("A morada foi guardada."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile_address.html", {"form": form})


@require_http_methods(["GET", "POST"])
def change_email(request):
    """A new e-mail counts only after its owner opens the link sent to it."""
    form = forms.EmailChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_email_change(
            user=request.user, new_email=form.cleaned_data["email"], request=request
        )
        messages.success(
            request,
            _(
                "Enviámos uma ligação para %(email)s. O seu e-mail muda quando a abrir; até "
                "lá continua a ser %(current)s."
            )
            % {"email": form.cleaned_data["email"], "current": request.user.email},
        )
        return redirect("accounts:profile")
    return render(request, "accounts/profile_email.html", {"form": form})


@login_not_required
@require_GET
def confirm_email_change(request, uidb64, token):
    """The link sent to the new address; it works signed in or not (the token is the proof)."""
    user = services.confirm_email_change(uidb64=uidb64, token=token, request=request)
    if user is None:
        return render(request, "accounts/email_change_failed.html", status=400)
    messages.success(request, _("O seu e-mail passou a ser %(email)s.") % {"email": user.email})
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


@require_http_methods(["GET", "POST"])
def password_change(request):
    """Modificar Password: password antiga, nova password, confirmação → "Submeter".

    This session stays; the user's other sessions end and an e-mail says so.
    """
    form = forms.PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.change_password(
            user=user, new_password=form.cleaned_data["new_password1"], request=request
        )
        update_session_auth_hash(request, user)
        services.end_sessions(user=user, keep=request.session.session_key)
        services.remember_session(user=user, request=request)
        messages.success(
            request,
            _(
                "A sua password foi alterada. As outras sessões abertas com a sua conta "
                "terminaram, e enviámos-lhe um e-mail a confirmar a alteração."
            ),
        )
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})
