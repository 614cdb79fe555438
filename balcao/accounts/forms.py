from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
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
    }
