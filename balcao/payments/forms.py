"""The forms of the invoice's page: "Pedir pagamento em prestações" (the customer's) and
the clerk's "Aceitar e definir prestações"."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balcao.core.forms import NamedErrorsMixin
from balcao.payments.models import MAX_INSTALMENTS, MIN_INSTALMENTS
from balcao.service_requests.forms import ContactChoiceForm

INSTALMENT_CHOICES = [(n, str(n)) for n in range(MIN_INSTALMENTS, MAX_INSTALMENTS + 1)]


class InstalmentRequestForm(ContactChoiceForm):
    instalments = forms.TypedChoiceField(
        label=_("Número de prestações"),
        choices=INSTALMENT_CHOICES,
        coerce=int,
        help_text=_("De 2 a 12 prestações mensais. Os serviços confirmam as datas e os montantes."),
        error_messages={"required": _("Escolha o número de prestações.")},
    )
    description = forms.CharField(
        label=_("Observações (opcional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = ["instalments", "description", "channel", "contact_value"]


class InstalmentPlanForm(NamedErrorsMixin, forms.Form):
    """The clerk's: how many instalments and when the first is due (one a month after)."""

    instalments = forms.TypedChoiceField(
        label=_("Número de prestações"), choices=INSTALMENT_CHOICES, coerce=int
    )
    first_due_date = forms.DateField(
        label=_("Data de vencimento da 1.ª prestação"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/aaaa; as seguintes vencem no mesmo dia dos meses seguintes."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = timezone.localdate() + datetime.timedelta(days=30)
        self.fields["first_due_date"].initial = first.strftime("%d/%m/%Y")


class CreditNoteAnswerForm(NamedErrorsMixin, forms.Form):
    """The clerk's: the complaint is right, the invoice is corrected by a credit note."""

    reason = forms.CharField(
        label=_("Motivo da correção"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Impresso na nota de crédito."),
    )
    message = forms.CharField(
        label=_("Mensagem ao cliente (opcional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("O cliente recebe também os números da nota de crédito e da nova fatura."),
    )


class WarningRunForm(NamedErrorsMixin, forms.Form):
    warning_date = forms.DateField(
        label=_("Data dos avisos"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        required=False,
        help_text=_(
            "dd/mm/aaaa; hoje, se vazia. Avisa as faturas por pagar 30 dias depois do prazo; "
            "a interrupção só é possível 20 dias depois desta data."
        ),
    )
