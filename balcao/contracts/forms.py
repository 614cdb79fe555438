"""The contract forms of the portal (manual section 2) and of the staff's queue."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from balcao.contracts import activation_keys
from balcao.contracts.models import Contract, Subscription
from balcao.core.forms import NamedErrorsMixin

NUMBER_PATTERN = re.compile(r"^[A-Za-z0-9]{1,20}$")


class NumberField(forms.CharField):
    """A utility number as printed on the invoice: spaces and hyphens ignored, in capitals."""

    def __init__(self, *args, invalid_message, **kwargs):
        self.invalid_message = invalid_message
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return re.sub(r"[\s\-]", "", value or "").upper()

    def validate(self, value):
        super().validate(value)
        if value and not NUMBER_PATTERN.match(value):
            raise forms.ValidationError(self.invalid_message, code="invalid")


class AddContractForm(NamedErrorsMixin, forms.Form):
    """Adicionar um contrato: Produto contratado, Instalação, Número de cliente, Número de
    conta, Nome personalizado → "Enviar para avaliação"."""

    PRODUCT_CHOICES = [("water_sanitation", _("Água e/ou Saneamento"))]

    product = forms.ChoiceField(
        label=_("Produto contratado"),
        choices=PRODUCT_CHOICES,
        initial="water_sanitation",
        widget=forms.RadioSelect,
    )
    cil = NumberField(
        label=_("Instalação (CIL)"),
        help_text=_("O código da instalação, como aparece na fatura."),
        invalid_message=_("Indique o código da instalação só com letras e algarismos."),
        error_messages={"required": _("Indique o código da instalação (CIL).")},
    )
    customer_number = NumberField(
        label=_("Número de cliente"),
        help_text=_("Está na fatura, junto do seu nome."),
        invalid_message=_("Indique o número de cliente só com algarismos, como na fatura."),
        error_messages={"required": _("Indique o número de cliente.")},
    )
    account_number = NumberField(
        label=_("Número de conta"),
        help_text=_("Está na fatura, junto do número de cliente."),
        invalid_message=_("Indique o número de conta só com algarismos, como na fatura."),
        error_messages={"required": _("Indique o número de conta.")},
    )
    custom_name = forms.CharField(
        label=_("Nome personalizado"),
        max_length=60,
        help_text=_("O nome que dá a este contrato, como preferir: por exemplo, Casa ou Loja."),
        error_messages={
            "required": _("Indique um nome para este contrato, por exemplo Casa."),
            "max_length": _("O nome personalizado tem no máximo 60 caracteres."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name in ("cil", "customer_number", "account_number"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class ActivationCodeForm(NamedErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Código de ativação"),
        max_length=20,
        help_text=_("10 letras e algarismos, como aparecem na carta."),
        error_messages={"required": _("Indique o código de ativação que recebeu por carta.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self):
        code = activation_keys.normalise_code(self.cleaned_data["code"])
        foreign = list(dict.fromkeys(ch for ch in code if ch not in activation_keys.CODE_ALPHABET))
        if foreign:
            # A look-alike (B for 8, 1 for I) is the usual slip: say which characters, and
            # which ones the code is made of, rather than repeat its length.
            alphabet = activation_keys.CODE_ALPHABET
            raise forms.ValidationError(
                _(
                    "O código de ativação não tem %(typed)s. Os códigos só usam as letras "
                    "%(letters)s e os algarismos %(digits)s: confirme-o na carta."
                )
                % {
                    "typed": ", ".join(f"«{ch}»" for ch in foreign),
                    "letters": " ".join(ch for ch in alphabet if ch.isalpha()),
                    "digits": " ".join(ch for ch in alphabet if ch.isdigit()),
                },
                code="alphabet",
            )
        if len(code) != activation_keys.CODE_LENGTH:
            raise forms.ValidationError(
                _("O código de ativação tem 10 letras e algarismos, como aparece na carta."),
                code="format",
            )
        return code


class RenameForm(NamedErrorsMixin, forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["custom_name"]
        help_texts = {
            "custom_name": _("O nome que dá a este contrato, como preferir: por exemplo, Casa.")
        }
        error_messages = {
            "custom_name": {
                "required": _("Indique um nome para este contrato, por exemplo Casa."),
                "max_length": _("O nome personalizado tem no máximo 60 caracteres."),
            }
        }


class ApproveForm(NamedErrorsMixin, forms.Form):
    """The clerk's choice of the contract the subscription is for."""

    contract_number = forms.CharField(
        label=_("Número de contrato"),
        max_length=20,
        help_text=_("O contrato a que o utilizador fica associado depois de o ativar."),
    )

    def clean_contract_number(self):
        number = self.cleaned_data["contract_number"].strip()
        contract = (
            Contract.objects.filter(contract_number=number)
            .select_related("customer__correspondence_address")
            .first()
        )
        if contract is None:
            raise forms.ValidationError(_("Não há nenhum contrato com este número."))
        if not contract.is_active:
            raise forms.ValidationError(_("Este contrato não está ativo."))
        self.contract = contract
        return number


class RejectForm(NamedErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivo da rejeição"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("O utilizador vê este texto: escreva-o para ele."),
        error_messages={"required": _("Indique o motivo da rejeição.")},
    )
