"""The back office's payment forms: "Registar pagamento" (a counter payment) and "Anular
pagamento" (the reason a payment is reversed)."""

from decimal import Decimal

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balcao.billing.models import DocumentType, Invoice
from balcao.contracts.models import BillingAccount
from balcao.core.forms import NamedErrorsMixin, TypedDateField
from balcao.core.money import format_euros
from balcao.payments.models import COUNTER_METHODS
from balcao.payments.services.receipts import ZERO, Allocation, open_amount


class AccountLookupForm(NamedErrorsMixin, forms.Form):
    """Step 1: whose payment it is, by the number the customer brings (invoice in hand)."""

    account = forms.CharField(
        label=_("Número do contrato ou da conta"),
        max_length=20,
        help_text=_("Como está impresso na fatura, por exemplo 600001."),
    )

    def clean_account(self) -> BillingAccount:
        number = self.cleaned_data["account"].strip()
        account = (
            BillingAccount.objects.filter(
                Q(account_number=number) | Q(contracts__contract_number=number)
            )
            .select_related("customer")
            .first()
        )
        if account is None:
            raise forms.ValidationError(
                _("Não há contrato nem conta com o número %(number)s.") % {"number": number},
                code="unknown",
            )
        return account


class _InvoiceChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Invoice) -> str:
        return _("%(number)s, de %(start)s a %(end)s, em dívida %(open)s") % {
            "number": obj.number,
            "start": f"{obj.period_start:%d/%m/%Y}",
            "end": f"{obj.period_end:%d/%m/%Y}",
            "open": format_euros(open_amount(obj)),
        }


def open_invoices(account: BillingAccount) -> QuerySet[Invoice]:
    """The account's invoices still to be paid, oldest first (the order a payment settles)."""
    return Invoice.objects.filter(
        account=account, document_type=DocumentType.INVOICE, status=Invoice.Status.ISSUED
    ).order_by("due_date", "pk")


class RegisterPaymentForm(NamedErrorsMixin, forms.Form):
    """Step 2: the invoices paid, how, when and how much (manual: "Registar pagamento")."""

    invoices = _InvoiceChoices(
        label=_("Faturas a liquidar"),
        queryset=Invoice.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Um montante menor do que o total paga as faturas pela ordem da lista."),
    )
    method = forms.ChoiceField(
        label=_("Meio de pagamento"),
        choices=[(method.value, method.label) for method in COUNTER_METHODS],
    )
    paid_on = TypedDateField(label=_("Data do pagamento"), help_text=_("dd/mm/aaaa"))
    amount = forms.DecimalField(
        label=_("Montante recebido"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        help_text=_("Em euros, com vírgula: por exemplo 26,74."),
    )

    def __init__(self, *args, account: BillingAccount, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.fields["invoices"].queryset = open_invoices(account)  # type: ignore[attr-defined]

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(
                _("A data do pagamento não pode ser depois de hoje."), code="future"
            )
        return paid_on

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount <= ZERO:
            raise forms.ValidationError(
                _("Indique um montante maior do que 0,00 €."), code="not_positive"
            )
        return amount

    def clean(self):
        cleaned = super().clean()
        invoices, amount = cleaned.get("invoices"), cleaned.get("amount")
        if invoices and amount:
            owed = sum((open_amount(invoice) for invoice in invoices), ZERO)
            if amount > owed:
                self.add_error(
                    "amount",
                    forms.ValidationError(
                        _(
                            "O montante é maior do que o valor em dívida das faturas "
                            "escolhidas (%(owed)s)."
                        )
                        % {"owed": format_euros(owed)},
                        code="too_much",
                    ),
                )
        return cleaned

    def allocations(self) -> list[Allocation]:
        """The amount spread over the invoices chosen, in the list's order (oldest first)."""
        left = self.cleaned_data["amount"]
        allocations = []
        chosen = {invoice.pk for invoice in self.cleaned_data["invoices"]}
        for invoice in open_invoices(self.account).filter(pk__in=chosen):
            part = min(left, open_amount(invoice))
            if part > ZERO:
                allocations.append(Allocation(invoice, part))
            left -= part
        return allocations


class ReversePaymentForm(NamedErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivo da anulação"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Fica com o pagamento anulado; o recibo passa a anulado e as faturas voltam a "
            "«Por pagar»."
        ),
    )
