"""Refunds owed when a credit note cancels an invoice the customer had paid (in full, in
part or by instalments), and the clerk's "Marcar como reembolsado"."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import Invoice
from balcao.payments.models import Refund, RefundMethod
from balcao.payments.services.receipts import PaymentError, settled_amount


def record_refund(*, invoice: Invoice, credit_note: Invoice, **kwargs: object) -> Refund | None:
    """The refund of what the receipts in force settle of ``invoice``, which ``credit_note``
    cancels; none when nothing was paid. Connected to billing's ``credit_note_issued``:
    runs in the credit note's transaction."""
    paid = settled_amount(invoice)
    if paid <= 0:
        return None
    return Refund.objects.create(
        invoice=invoice, credit_note=credit_note, account_id=invoice.account_id, amount=paid
    )


@transaction.atomic
def mark_refunded(*, refund: Refund, method: str, note: str = "", actor: User | None) -> Refund:
    """The money was paid back: by ``method`` (transfer or cash), with the clerk's note.
    A refund is done once: the second time is refused, saying when and by whom."""
    if method not in RefundMethod.values:
        raise PaymentError(_("Escolha como o montante foi devolvido."))
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if refund.status == Refund.Status.REFUNDED:
        raise PaymentError(
            _("Este reembolso já foi feito em %(day)s por %(who)s.")
            % {
                "day": timezone.localtime(refund.done_at).strftime("%d/%m/%Y"),
                "who": refund.done_by or "-",
            }
        )
    refund.status = Refund.Status.REFUNDED
    refund.method = method
    refund.note = note.strip()
    refund.done_at = timezone.now()
    refund.done_by = actor
    refund.save(update_fields=["status", "method", "note", "done_at", "done_by"])
    return refund
