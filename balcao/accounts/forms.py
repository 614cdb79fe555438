"""The shape of every account form, with its messages in Portuguese next to the field."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from balcao.accounts.models import User
from balcao.core.forms import AddressForm, NamedErrorsMixin
from balcao.core.links import absolute_url
from balcao.core.mail import TOO_MANY_MAILS, unconfirmed_mail_allowed
from balcao.core.nif import normalize_nif, validate_nif
from balcao.core.phones import normalise_phone, validate_mobile, validate_phone

PASSWORD_HINT = _(
    "Pelo menos 8 carateres; pode usar uma frase. Não pode ser uma password comum, "
    "parecida com o seu nome ou e-mail, nem uma que já tenha usado."
)


class LoginForm(NamedErrorsMixin, auth_forms.AuthenticationForm):
    """Entry page: username or e-mail, and password (manual section 5)."""

    username = forms.CharField(
        label=_("Nome de utilizador ou e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        # One message whether the user exists or not.
        "invalid_login": _("O nome de utilizador ou a password não estão corretos."),
        "inactive": _("O nome de utilizador ou a password não estão corretos."),
        "unconfirmed": _(
            "Ainda não confirmou o seu e-mail. Abra a ligação que lhe enviámos, "
            "ou %(link_start)speça uma nova ligação%(link_end)s."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            # The password was right: the link opens the page that sends a new one (rate
            # limited there), the address already filled in.
            url = f"{reverse('accounts:resend_confirmation')}?{urlencode({'email': user.email})}"
            # The translated sentence is escaped; only the link's own tags are markup.
            message = mark_safe(  # noqa: S308  # nosec B308 B703  # escaped above, no user text
                escape(str(self.error_messages["unconfirmed"]))
                % {"link_start": format_html('<a href="{}">', url), "link_end": "</a>"}
            )
            raise forms.ValidationError(message, code="unconfirmed")


def _text(label, *, required=True, max_length=150, autocomplete=None, **attrs):
    widget_attrs = {"autocomplete": autocomplete} if autocomplete else {}
    widget_attrs.update(attrs)
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=widget_attrs),
    )


class NifField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIF"))
        kwargs.setdefault("help_text", _("9 algarismos"))
        kwargs.setdefault("max_length", 14)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            value = normalize_nif(value)
            validate_nif(value)
        return value


PERSONAL_FIELDS = ["first_name", "last_name", "nif", "phone", "mobile"]


class RegistrationPersonalForm(AddressForm):
    """Registo, passo 1 de 2: dados pessoais e morada (manual section 2)."""

    first_name = _text(_("Nome"), autocomplete="given-name")
    last_name = _text(_("Apelidos"), autocomplete="family-name")
    nif = NifField()
    phone = _text(
        _("Contacto telefónico"), required=False, max_length=20, autocomplete="tel", type="tel"
    )
    mobile = _text(_("Telemóvel"), required=False, max_length=20, autocomplete="tel", type="tel")

    field_order = PERSONAL_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # the address's optional fields are marked there
        for name in PERSONAL_FIELDS:
            field = self.fields[name]
            if not field.required:
                field.label = format_lazy("{} {}", field.label, _("(opcional)"))

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"], validate_phone)

    def clean_mobile(self):
        return _clean_phone(self.cleaned_data["mobile"], validate_mobile)

    def personal_fields(self):
        return [self[name] for name in PERSONAL_FIELDS]

    def address_fields(self):
        return [self[name] for name in self.fields if name not in PERSONAL_FIELDS]

    def personal_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSONAL_FIELDS}


def _clean_phone(value: str, validate) -> str:
    """Blank, or 9 digits as typed with spaces ("912 345 678"), stored without them."""
    if not value:
        return value
    validate(value)
    return normalise_phone(value)


def _check_email_free(email: str, *, exclude_pk=None) -> str:
    email = email.strip()
    taken = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise forms.ValidationError(
            _("Este e-mail já está registado. Se é seu, entre ou recupere a password."),
            code="email_taken",
        )
    return email


class NewPasswordMixin:
    """Nova password e confirmação, with the rules of manual section 4 and NIST 800-63B."""

    def check_new_passwords(self, user, first="password1", second="password2"):
        password1 = self.cleaned_data.get(first)
        password2 = self.cleaned_data.get(second)
        if password1 and password2 and password1 != password2:
            self.add_error(second, _("As duas passwords não são iguais."))
            return
        if password1:
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error(first, error)


USERNAME_TAKEN = _("Este nome de utilizador já existe. Escolha outro.")


class RegistrationAccessForm(NamedErrorsMixin, NewPasswordMixin, forms.Form):
    """Registo, passo 2 de 2: dados de acesso (manual section 2)."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Vai receber uma ligação para o confirmar antes de entrar."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = forms.CharField(
        label=_("Nome de utilizador"),
        max_length=150,
        help_text=_("Letras, algarismos e os sinais @ . + - _ (até 150)."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=PASSWORD_HINT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirme a password"),
        error_messages={"required": _("Confirme a password.")},
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label=_("Aceitar os termos e condições de utilização do portal"),
        error_messages={
            "required": _("Para se registar, aceite os termos e condições de utilização.")
        },
    )

    def __init__(self, *args, personal: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.personal = personal or {}
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("portal:terms"), _("Ver termos e condições")
        )

    def access_fields(self):
        """The fields above the terms, which the page shows under their own heading (manual 2)."""
        return [self[name] for name in self.fields if name != "accept_terms"]

    def clean_email(self):
        # Whether the address is registered is never said here (the view writes to it instead).
        return self.cleaned_data["email"].strip()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(USERNAME_TAKEN, code="username_taken")
        return username

    def clean(self):
        cleaned = super().clean()
        candidate = User(
            username=cleaned.get("username", ""),
            email=cleaned.get("email", ""),
            first_name=self.personal.get("first_name", ""),
            last_name=self.personal.get("last_name", ""),
        )
        self.check_new_passwords(candidate)
        return cleaned


class ResendConfirmationForm(NamedErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class PasswordResetForm(NamedErrorsMixin, auth_forms.PasswordResetForm):
    """Esqueceu-se da Palavra-Chave? A single-use link, never a password, by e-mail."""

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("O e-mail com que se registou no Balcão Digital."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        # Legacy accounts have no usable password yet: the reset is how they set one.
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if u.has_usable_password() or u.is_legacy)

    request = None

    def save(self, *args, request=None, **kwargs):
        self.request = request  # the link is on the address the user asked from
        return super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from balcao.accounts.services import mail_allowed
        from balcao.core.mail import send_templated_email

        if not mail_allowed(kind="reset", address=to_email):
            return
        user = context["user"]
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        link = absolute_url(path, request=self.request)
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        send_templated_email(
            to=to_email,
            template="accounts_password_reset",
            context={"user": user, "link": link, "minutes": minutes},
            language=user.language,
        )


class SetPasswordForm(NamedErrorsMixin, NewPasswordMixin, forms.Form):
    """Nova password by the reset link (the same rules as everywhere)."""

    new_password1 = forms.CharField(
        label=_("Nova password"),
        strip=False,
        help_text=PASSWORD_HINT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Confirme a nova password"),
        error_messages={"required": _("Confirme a nova password.")},
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self.check_new_passwords(self.user, "new_password1", "new_password2")
        return cleaned


class PasswordChangeForm(SetPasswordForm):
    """Modificar Password (manual section 4): password antiga, nova, confirmação."""

    old_password = forms.CharField(
        label=_("Password antiga"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(
                _("A password antiga não está correta."), code="password_incorrect"
            )
        return old


class HolderDataForm(NamedErrorsMixin, forms.ModelForm):
    """Dados do titular (manual section 3), without the e-mail (changed by confirmation)."""

    nif = NifField()

    class Meta:
        model = User
        fields = ["first_name", "last_name", "nif", "language", "phone", "mobile"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "mobile": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"], validate_phone)

    def clean_mobile(self):
        return _clean_phone(self.cleaned_data["mobile"], validate_mobile)


class ConfirmPasswordForm(NamedErrorsMixin, forms.Form):
    """A password, to confirm an action that cannot be undone."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("A password não está correta."), code="bad_password")
        return password


class DisableTwoFactorForm(ConfirmPasswordForm):
    """Turning two-factor login off: the password and a code from the app (or a recovery
    code), so that a password alone, guessed or stolen, cannot remove the second step."""

    token = forms.CharField(
        label=_("Código"),
        max_length=16,
        help_text=_("Os 6 algarismos da aplicação de autenticação, ou um código de recuperação."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        token = "".join((cleaned.get("token") or "").split())
        if token and "password" in cleaned and match_token(self.user, token) is None:
            self.add_error("token", _("Este código não está certo ou já foi usado."))
        return cleaned


class EmailChangeForm(ConfirmPasswordForm):
    """A new e-mail address, confirmed with the current password."""

    email = forms.EmailField(
        label=_("Novo e-mail"),
        max_length=254,
        help_text=_("Enviamos uma ligação para este endereço; a alteração vale quando a abrir."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("Por segurança, confirme que é você."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["email", "password"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() == self.user.email.lower():
            raise forms.ValidationError(_("Este já é o seu e-mail."), code="same_email")
        email = _check_email_free(email, exclude_pk=self.user.pk)
        if not unconfirmed_mail_allowed(self.user, email):
            raise forms.ValidationError(TOO_MANY_MAILS, code="too_many_mails")
        return email


class OTPTokenForm(NamedErrorsMixin, forms.Form):
    token = forms.CharField(
        label=_("Código"),
        max_length=16,
        help_text=_("Os 6 algarismos da aplicação de autenticação, ou um código de recuperação."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())
