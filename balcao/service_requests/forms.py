"""The forms of "Novo pedido" and of the contract changes (manual 6.2 point 2 and 6.5)."""

import re
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from balcao.billing.models import validate_bic, validate_iban
from balcao.core.forms import AddressForm, SubmissionKeyField
from balcao.core.mail import TOO_MANY_MAILS, unconfirmed_mail_allowed
from balcao.service_requests.models import TYPES_WITHOUT_CONTRACT, Channel

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
# What a file's first bytes must be, by the type it claims (its name is never trusted).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
# The most pixels an attached image may declare: a 50-megapixel photo is far beyond any phone
# photo of 5 MB, and a header that declares more (a "decompression bomb") is refused before
# anything is decoded.
MAX_ATTACHMENT_PIXELS = 50_000_000


class ImageTooLarge(Exception):
    """An image whose header declares more pixels than MAX_ATTACHMENT_PIXELS."""


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.-]", "", value)


def validate_phone(value: str) -> None:
    """A Portuguese number (9 digits, starting with 2 or 9) or an international one (+…)."""
    compact = normalise_phone(value)
    if re.fullmatch(r"[29]\d{8}", compact) or re.fullmatch(r"\+\d{8,15}", compact):
        return
    raise ValidationError(
        _("Indique um número de telefone com 9 algarismos (por exemplo, 912 345 678)."),
        code="invalid_phone",
    )


def detect_content_type(upload) -> str | None:
    """The file's type from its content (magic bytes, and Pillow for images)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            if content_type.startswith("image/"):
                try:
                    _check_image(upload)
                except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                    return None
                finally:
                    upload.seek(0)
            return content_type
    return None


def _check_image(upload) -> None:
    """Opens the header only: the declared size is checked before any pixel is decoded.

    Raises ImageTooLarge for a header that declares more than MAX_ATTACHMENT_PIXELS (also
    when Pillow itself calls it a decompression bomb), and Pillow's errors for a broken file.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageTooLarge from error
    with image:
        width, height = image.size
        if width * height > MAX_ATTACHMENT_PIXELS:
            raise ImageTooLarge
        image.verify()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to three PDFs or images (JPEG, PNG) of at most 5 MB each, checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Pode anexar no máximo %(count)d ficheiros.") % {"count": MAX_ATTACHMENTS}
            )
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    _("O ficheiro %(name)s tem mais de 5 MB.") % {"name": upload.name}
                )
            try:
                content_type = detect_content_type(upload)
            except ImageTooLarge:
                raise ValidationError(
                    _(
                        "A imagem %(name)s tem dimensões demasiado grandes (mais de 50 "
                        "megapíxeis). Envie uma fotografia de tamanho normal."
                    )
                    % {"name": upload.name},
                    code="image_too_large",
                ) from None
            if content_type is None:
                raise ValidationError(
                    _("O ficheiro %(name)s não é um PDF nem uma imagem JPEG ou PNG.")
                    % {"name": upload.name}
                )
            upload.checked_content_type = content_type
            cleaned.append(upload)
        return cleaned


def channel_field():
    return forms.ChoiceField(
        label=_("Pretende receber a resposta ao pedido por:"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.EMAIL,
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


class ContactChoiceForm(forms.Form):
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


class NewRequestForm(ContactChoiceForm):
    """A request with free text: Informação, Reclamação, Falta de água, …"""

    contract = forms.ChoiceField(label=_("Contrato"))
    description = forms.CharField(
        label=_("Descrição"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Explique o que precisa ou o que aconteceu, com o local se for o caso."),
    )
    attachments = AttachmentsField(
        label=_("Anexos (opcional)"),
        required=False,
        help_text=_("Até 3 ficheiros PDF ou imagens (JPEG, PNG), de 5 MB no máximo cada um."),
    )

    field_order = ["contract", "description", "attachments", "channel", "contact_value"]

    def __init__(self, *args, request_type, subscriptions, with_attachments, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_type = request_type
        self.subscriptions = {s.contract.contract_number: s for s in subscriptions}
        choices = contract_choices(subscriptions)
        if request_type in TYPES_WITHOUT_CONTRACT:
            choices = [("", _("Nenhum (pedido geral)")), *choices]
            self.fields["contract"].required = False
        self.fields["contract"].choices = choices
        if not with_attachments:
            del self.fields["attachments"]

    def clean_contract(self):
        number = self.cleaned_data.get("contract")
        if not number:
            return None
        return self.subscriptions[number].contract


class ChooseContractForm(forms.Form):
    """Which contract a change is for, when the user comes from "Novo pedido"."""

    contrato = forms.ChoiceField(label=_("Contrato"))

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contrato"].choices = contract_choices(subscriptions)


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
    """ "Alterar morada de envio das faturas": every field required (manual 6.2 point 2 B)."""

    channel = channel_field()
    contact_value = contact_value_field()
    # Optional: a page opened before the key existed (or a script) still makes a request.
    submission_key = SubmissionKeyField(required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault("require_all", True)
        super().__init__(*args, **kwargs)
        self.fields["parish"].help_text = ""  # required here: no "leave it blank"
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
        validators=[validate_phone],
        help_text=_("9 algarismos"),
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

    final_reading_date = forms.DateField(
        label=_("Data pretendida para a leitura final"),
        help_text=_("dd/mm/aaaa; a partir de hoje."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "size": 10}),
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
