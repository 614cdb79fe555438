"""What a customer turns off themselves, at once and without a clerk (issue 13): the direct
debit (revoking a mandate is the debtor's right) and the e-invoice. Each takes effect in one
transaction and is confirmed by e-mail after commit."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.documents import multibanco_for
from balcao.billing.models import DocumentType, Invoice
from balcao.billing.multibanco import MultibancoReference
from balcao.billing.services.mandates import revoke_mandate
from balcao.contracts.models import BillingAccount
from balcao.contracts.services.account_changes import stop_e_invoice
from balcao.core.mail import send_templated_email
from balcao.payments.models import DirectDebitCollection
from balcao.payments.services.direct_debit import recipients_for
from balcao.payments.services.receipts import open_amount


@dataclass(frozen=True)
class OpenInvoice:
    """An open invoice of an account that left direct debit, as its customer pays it now."""

    number: str
    amount: Decimal
    due_date: datetime.date | None
    multibanco: MultibancoReference | None  # None: sent to the bank already
    debit_date: datetime.date | None  # when it was sent to the bank, the day it is debited


def _open_invoices_after_revocation(account: BillingAccount) -> list[OpenInvoice]:
    sent = {
        collection.invoice_id: collection.batch.due_date
        for collection in DirectDebitCollection.objects.filter(
            invoice__account=account, status=DirectDebitCollection.Status.SENT
        ).select_related("batch")
    }
    rows = []
    for invoice in Invoice.objects.filter(
        account=account, document_type=DocumentType.INVOICE, status=Invoice.Status.ISSUED
    ).select_related("account"):
        rows.append(
            OpenInvoice(
                number=invoice.number,
                amount=open_amount(invoice),
                due_date=invoice.due_date,
                multibanco=None if invoice.pk in sent else multibanco_for(invoice),
                debit_date=sent.get(invoice.pk),
            )
        )
    return rows


@transaction.atomic
def cancel_direct_debit(*, account: BillingAccount, actor: User) -> list[OpenInvoice]:
    """ "Desativar" the direct debit (the debtor revokes the mandate: at once, no clerk).

    The mandate is revoked with its date and the account leaves direct debit (billing's
    ``revoke_mandate``); invoices not yet sent to the bank show their Multibanco reference
    from now on, those in a file already sent are still debited on their date; the holder
    gets a confirmation e-mail saying which is which. Returns those invoices.
    """
    revoke_mandate(account=account, actor=actor)
    account.refresh_from_db(fields=["direct_debit"])
    open_invoices = _open_invoices_after_revocation(account)
    to = recipients_for(account)
    if to:
        send_templated_email(
            to=to,
            template="payments_direct_debit_cancelled",
            context={
                "customer_name": account.customer.name,
                "account_number": account.account_number,
                "invoices": open_invoices,
                "cancelled_on": timezone.localdate(),
            },
        )
    return open_invoices


@transaction.atomic
def cancel_e_invoice(*, account: BillingAccount, actor: User) -> BillingAccount:
    """ "Desativar" the e-invoice: the invoices go on paper to the billing address from now
    on (contracts' ``stop_e_invoice``, a ContractEvent on each contract), confirmed by
    e-mail to the address the invoices were going to."""
    to = recipients_for(account)  # before the e-invoice address is cleared
    account = stop_e_invoice(
        account=account,
        actor=actor,
        reason=_("Fatura eletrónica desativada pelo titular no Balcão Digital."),
    )
    if to:
        send_templated_email(
            to=to,
            template="payments_e_invoice_cancelled",
            context={
                "customer_name": account.customer.name,
                "account_number": account.account_number,
                "billing_address": str(account.billing_address),
                "cancelled_on": timezone.localdate(),
            },
        )
    return account
