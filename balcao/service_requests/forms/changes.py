"""The forms of the contract changes (manual 6.2 point 2): each one's ``payload`` is what the
request carries to the customer service."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from balcao.billing.models import validate_bic, validate_iban
from balcao.core.forms import AddressForm, SubmissionKeyField, TypedDateField
from balcao.core.phones import validate_mobile
from balcao.service_requests.forms.contact import (
    ContactChoiceForm,
    channel_field,
    clean_contact,
    contact_value_field,
    normalise_phone,
    prefill_contact,
    validate_phone,
)


class EInvoiceOnForm(ContactChoiceForm):
    """ "Ativação da fatura eletrónica" (manual 6.2 point 2 A)."""

    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Para onde enviamos as faturas."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accept_terms = forms.BooleanField(
        label=_("Li e aceito as condições de adesão à fatura eletrónica."),
        error_messages={
            "required": _(
                "Para aderir, confirme que leu e aceita as condições de adesão à fatura eletrónica."
            )
        },
    )
    field_order = ["email", "accept_terms", "channel", "contact_value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.user.email
        # The conditions accepted are one link away (issue 11, item 6); in a new tab, so that
        # what was typed here stays.
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("portal:e_invoice_terms"),
            _("Ler as condições de adesão à fatura eletrónica (abre num novo separador)"),
        )

    def payload(self) -> dict:
        return {"email": self.cleaned_data["email"], "accepted_terms": True}


class EInvoiceOffForm(ContactChoiceForm):
    """ "Desativar" the e-invoice: the invoices go back to paper, at the billing address."""

    def payload(self) -> dict:
        return {}


class DirectDebitForm(ContactChoiceForm):
    """ "Adesão ao débito direto": IBAN, account holder and the SEPA mandate's acceptance."""

    iban = forms.CharField(
        label=_("IBAN"),
        max_length=42,
        help_text=_("PT50 seguido de 21 algarismos, por exemplo PT50 0002 0123 1234 5678 9015 4"),
        validators=[validate_iban],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC/SWIFT (opcional)"),
        max_length=11,
        required=False,
        validators=[validate_bic],
    )
    holder_name = forms.CharField(
        label=_("Nome do titular da conta"),
        max_length=140,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    accept_mandate = forms.BooleanField(
        label=_("Li e aceito a autorização de débito direto SEPA apresentada acima."),
        error_messages={
            "required": _("Para aderir ao débito direto, aceite a autorização de débito direto.")
        },
    )
    field_order = ["iban", "bic", "holder_name", "accept_mandate", "channel", "contact_value"]

    def __init__(self, *args, authorisation_text: str, place: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.authorisation_text = authorisation_text
        self.place = place
        self.fields["holder_name"].initial = self.user.full_name()

    def clean_iban(self):
        return re.sub(r"\s", "", self.cleaned_data["iban"]).upper()

    def payload(self) -> dict:
        return {
            "iban": self.cleaned_data["iban"],
            "bic": self.cleaned_data["bic"].replace(" ", "").upper(),
            "holder_name": self.cleaned_data["holder_name"].strip(),
            "authorisation_text": self.authorisation_text,
            "creditor_identifier": settings.UTILITY["creditor_id"],
            "accepted_on": timezone.localdate().isoformat(),
            "accepted_place": self.place,
        }


class BillingAddressForm(AddressForm):
    """ "Alterar morada de envio das faturas" (manual 6.2 point 2 B): every field but Andar,
    and Freguesia where its list exists; any address in Portugal."""

    channel = channel_field()
    contact_value = contact_value_field()
    # Optional: a page opened before the key existed (or a script) still makes a request.
    submission_key = SubmissionKeyField(required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("require_all", True)
        super().__init__(*args, **kwargs)
        prefill_contact(self, user)

    def clean(self):
        cleaned = super().clean()
        clean_contact(self, cleaned)
        return cleaned

    def payload(self) -> dict:
        return {}


class ContactChangeForm(ContactChoiceForm):
    """The holder's e-mail, telephone and mobile on the contract."""

    new_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    new_phone = forms.CharField(
        label=_("Telefone"),
        max_length=20,
        required=False,
        validators=[validate_phone],
        help_text=_("9 algarismos"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    new_mobile = forms.CharField(
        label=_("Telemóvel"),
        max_length=20,
        required=False,
        validators=[validate_mobile],
        help_text=_("9 algarismos, a começar por 9"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    field_order = ["new_email", "new_phone", "new_mobile", "channel", "contact_value"]

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.customer = customer
        self.fields["new_email"].initial = customer.email
        self.fields["new_phone"].initial = customer.phone
        self.fields["new_mobile"].initial = customer.mobile

    def clean(self):
        cleaned = super().clean()
        new = (
            cleaned.get("new_email", ""),
            normalise_phone(cleaned.get("new_phone", "")),
            normalise_phone(cleaned.get("new_mobile", "")),
        )
        old = (
            self.customer.email,
            normalise_phone(self.customer.phone),
            normalise_phone(self.customer.mobile),
        )
        if not any(new):
            raise ValidationError(
                _("Indique pelo menos um contacto: e-mail, telefone ou telemóvel.")
            )
        if not self.errors and new == old:
            raise ValidationError(_("Os contactos indicados são iguais aos que já constam."))
        return cleaned

    def payload(self) -> dict:
        return {
            "email": self.cleaned_data["new_email"],
            "phone": normalise_phone(self.cleaned_data["new_phone"]),
            "mobile": normalise_phone(self.cleaned_data["new_mobile"]),
        }


class TerminationForm(ContactChoiceForm):
    """ "Rescisão do contrato", with the date wanted for the final reading."""

    final_reading_date = TypedDateField(
        label=_("Data pretendida para a leitura final"),
        help_text=_("dd/mm/aaaa; a partir de hoje."),
    )
    description = forms.CharField(
        label=_("Observações (opcional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Por exemplo, como podemos aceder ao contador no dia da leitura."),
    )
    field_order = ["final_reading_date", "description", "channel", "contact_value"]

    def clean_final_reading_date(self):
        value = self.cleaned_data["final_reading_date"]
        if value < timezone.localdate():
            raise ValidationError(_("A data da leitura final não pode ser anterior a hoje."))
        return value

    def payload(self) -> dict:
        return {"final_reading_date": self.cleaned_data["final_reading_date"].isoformat()}
