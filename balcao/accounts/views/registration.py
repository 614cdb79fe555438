"""Registo no Balcão Digital in two steps, and the e-mail confirmation (manual section 2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from balcao.accounts import forms, services, throttling
from balcao.core.mail import count_hourly

# Step 1's answers wait in the session (as typed) until "Finalizar": nothing is stored.
SESSION_KEY = "registration_personal"
# Submissions of step 2 from one address per hour (it tells whether a username exists).
REGISTRATION_ATTEMPTS_PER_HOUR = 20


@login_not_required
@require_http_methods(["GET", "POST"])
def register(request):
    """Passo 1 de 2: dados pessoais e morada → "Passo Seguinte"."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    if request.method == "POST":
        form = forms.RegistrationPersonalForm(request.POST)
        if form.is_valid():
            request.session[SESSION_KEY] = {
                name: request.POST.get(name, "") for name in form.fields
            }
            return redirect("accounts:register_access")
    else:
        form = forms.RegistrationPersonalForm(initial=request.session.get(SESSION_KEY))
    return render(request, "accounts/register_personal.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def register_access(request):
    """Passo 2 de 2: dados de acesso and the terms → "Finalizar"."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    personal = forms.RegistrationPersonalForm(request.session.get(SESSION_KEY) or None)
    if not personal.is_bound or not personal.is_valid():
        messages.info(request, _("Comece pelos seus dados pessoais."))
        return redirect("accounts:register")
    data = request.POST if request.method == "POST" else None  # an empty POST is bound too
    form = forms.RegistrationAccessForm(data, personal=personal.personal_data())
    if request.method == "POST" and _too_many_attempts(request):
        form.is_valid()  # the answers stay on the page, with the message on top
        form.add_error(
            None,
            _(
                "Demasiadas tentativas de registo a partir deste endereço. Por segurança, "
                "tente de novo daqui a uma hora."
            ),
        )
        return render(request, "accounts/register_access.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.register_user(
                personal=personal.personal_data(),
                address=personal.save(commit=False),
                email=email,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except services.UsernameTaken:
            form.add_error("username", forms.USERNAME_TAKEN)
            return render(request, "accounts/register_access.html", {"form": form})
        except services.EmailTaken:
            # The same answer as for a new account: the page never says who is registered.
            services.notify_existing_account(email=email, request=request)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _(
                "Registo concluído. Enviámos uma mensagem para %(email)s: abra a ligação "
                "que ela contém para confirmar o e-mail, e depois entre."
            )
            % {"email": email},
        )
        return redirect("accounts:login")
    return render(request, "accounts/register_access.html", {"form": form})


def _too_many_attempts(request) -> bool:
    """Step 2 says whether a username exists: one address may submit it only so often."""
    address = throttling.client_address(request) or "unknown"
    return count_hourly(f"register-access:{address}") > REGISTRATION_ATTEMPTS_PER_HOUR


@login_not_required
@require_GET
def confirm_email(request, token):
    """The single-use link of the confirmation e-mail."""
    user = services.confirm_email(token=token, request=request)
    if user is None:
        messages.error(
            request,
            _(
                "Esta ligação de confirmação já foi usada ou expirou. Se ainda não confirmou "
                "o seu e-mail, peça uma nova ligação."
            ),
        )
        return redirect("accounts:resend_confirmation")
    messages.success(request, _("E-mail confirmado. Já pode entrar no Balcão Digital."))
    return redirect("accounts:login")


@login_not_required
@require_http_methods(["GET", "POST"])
def resend_confirmation(request):
    """A new confirmation link; the answer is the same whether or not the address exists."""
    # "peça uma nova ligação" of the login page comes with the address filled in.
    form = forms.ResendConfirmationForm(
        request.POST or None, initial={"email": request.GET.get("email", "")[:254]}
    )
    if request.method == "POST" and form.is_valid():
        services.resend_confirmation(email=form.cleaned_data["email"], request=request)
        messages.success(
            request,
            _(
                "Se este e-mail pertencer a um registo por confirmar, vai receber uma nova "
                "ligação dentro de alguns minutos."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_confirmation.html", {"form": form})
