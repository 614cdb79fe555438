"""The forms of "Novo pedido": a request with free text, and the choice of the contract."""

from django import forms
from django.utils.translation import gettext_lazy as _

from balcao.core.forms import NamedErrorsMixin
from balcao.service_requests.forms.attachments import AttachmentsField
from balcao.service_requests.forms.contact import ContactChoiceForm, contract_choices
from balcao.service_requests.models import TYPES_WITHOUT_CONTRACT


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


class ChooseContractForm(NamedErrorsMixin, forms.Form):
    """Which contract a change is for, when the user comes from "Novo pedido"."""

    contrato = forms.ChoiceField(label=_("Contrato"))

    def __init__(self, *args, subscriptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contrato"].choices = contract_choices(subscriptions)
