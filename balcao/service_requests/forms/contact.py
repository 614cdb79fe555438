"""The answer's channel and contact, shared by every request form (manual 6.5 point 3)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from balcao.core.forms import NamedErrorsMixin, SubmissionKeyField
from balcao.core.mail import TOO_MANY_MAILS, unconfirmed_mail_allowed
from balcao.core.phones import normalise_phone, validate_phone
from balcao.service_requests.models import Channel


def channel_field():
    return forms.ChoiceField(
        label=_("Pretende receber a resposta ao pedido por:"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.EMAIL,
        error_messages={"required": _("Escolha como quer receber a resposta ao pedido.")},
    )


def contact_value_field():
    return forms.CharField(
        label=_("Valor do contacto"),
        max_length=254,
        required=False,
        help_text=_(
            "O e-mail ou o telefone onde quer a resposta. Os dados do seu perfil aparecem "
            "por defeito, mas pode alterá-los."
        ),
    )


def prefill_contact(form, user) -> None:
    """The profile's e-mail (or telephone) by default, editable (manual 6.5 point 3)."""
    form.fields["contact_value"].initial = user.email or user.mobile or user.phone
    if not user.email and (user.mobile or user.phone):
        form.fields["channel"].initial = Channel.PHONE


def clean_contact(form, cleaned: dict) -> None:
    """The contact value must fit the channel: an e-mail, a telephone, or nothing."""
    channel = cleaned.get("channel")
    value = (cleaned.get("contact_value") or "").strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            form.add_error(
                "contact_value", _("Indique o e-mail para a resposta, no formato nome@exemplo.pt.")
            )
        else:
            if not unconfirmed_mail_allowed(form.user, value):
                form.add_error("contact_value", TOO_MANY_MAILS)
    elif channel == Channel.PHONE:
        try:
            validate_phone(value)
        except ValidationError as error:
            form.add_error("contact_value", error)
        else:
            value = normalise_phone(value)
    else:
        value = ""
    cleaned["contact_value"] = value


class ContactChoiceForm(NamedErrorsMixin, forms.Form):
    """ "Pretende receber a resposta ao pedido por" and "Valor do contacto" (manual 6.5)."""

    channel = channel_field()
    contact_value = contact_value_field()
    # Optional: a page opened before the key existed (or a script) still makes a request.
    submission_key = SubmissionKeyField(required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        prefill_contact(self, user)

    def clean(self):
        cleaned = super().clean()
        clean_contact(self, cleaned)
        return cleaned


def contract_choices(subscriptions):
    return [
        (s.contract.contract_number, f"{s.custom_name} — {s.contract.contract_number}")
        for s in subscriptions
    ]
