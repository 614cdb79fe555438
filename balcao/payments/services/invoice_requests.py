"""The requests a customer makes from an invoice's page, and the clerk's answers that touch
the invoice (issue 13): "Reclamar desta fatura" (a Reclamação that holds the invoice out of
reminders, warnings and the debit file while it is open) and "Pedir pagamento em
prestações" (2 to 12 instalments). Both go through the requests' own service, so every rule
of a request applies (gapless number, channel, submission key, the customer told)."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import DocumentType, Invoice
from balcao.billing.services.corrections import correct_invoice
from balcao.billing.services.invoices import IssueError
from balcao.payments.models import MAX_INSTALMENTS, MIN_INSTALMENTS, PaymentPlan
from balcao.service_requests import services as request_services
from balcao.service_requests.models import RequestType, ServiceRequest


def open_request_about(invoice: Invoice, request_type: str) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.filter(invoice=invoice, request_type=request_type)
        .exclude(status=ServiceRequest.Status.CLOSED)
        .first()
    )


def _same_submission(existing: ServiceRequest, key: uuid.UUID | None) -> bool:
    """The same form sent twice: the requests' service gives the first request back."""
    return key is not None and existing.idempotency_key == key


def can_be_contested(invoice: Invoice) -> bool:
    return (
        invoice.document_type == DocumentType.INVOICE and invoice.status != Invoice.Status.CANCELLED
    )


def contest_invoice(
    *,
    user: User,
    invoice: Invoice,
    description: str,
    channel: str,
    contact_value: str,
    attachments: Iterable[Any] = (),
    submission_key: uuid.UUID | None = None,
) -> ServiceRequest:
    """ "Reclamar desta fatura": a Reclamação about ``invoice``. One open complaint per
    invoice: while it is open the customer adds to it instead."""
    if not can_be_contested(invoice):
        raise ValidationError(_("Só se reclama de uma fatura em vigor."))
    with transaction.atomic():
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        existing = open_request_about(invoice, RequestType.COMPLAINT)
        if existing is not None and not _same_submission(existing, submission_key):
            raise ValidationError(
                _("Já tem uma reclamação desta fatura em análise (pedido n.º %(number)s).")
                % {"number": existing.number}
            )
        return request_services.submit_request(
            user=user,
            request_type=RequestType.COMPLAINT,
            contract=invoice.contract,
            invoice=invoice,
            description=description,
            channel=channel,
            contact_value=contact_value,
            attachments=attachments,
            submission_key=submission_key,
        )


def can_ask_for_instalments(invoice: Invoice) -> bool:
    return invoice.is_open


def ask_for_instalments(
    *,
    user: User,
    invoice: Invoice,
    instalments: int,
    description: str,
    channel: str,
    contact_value: str,
    submission_key: uuid.UUID | None = None,
) -> ServiceRequest:
    """ "Pedir pagamento em prestações": a request for ``instalments`` (2 to 12) of an unpaid
    invoice with no plan and no such request open; a clerk decides."""
    if not MIN_INSTALMENTS <= instalments <= MAX_INSTALMENTS:
        raise ValidationError(_("Escolha entre 2 e 12 prestações."))
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if not can_ask_for_instalments(locked):
            raise ValidationError(_("Esta fatura já não está por pagar."))
        if PaymentPlan.objects.filter(invoice=locked).exists():
            raise ValidationError(_("Esta fatura já é paga em prestações."))
        existing = open_request_about(locked, RequestType.INSTALMENTS)
        if existing is not None and not _same_submission(existing, submission_key):
            raise ValidationError(
                _("Já pediu o pagamento desta fatura em prestações (pedido n.º %(number)s).")
                % {"number": existing.number}
            )
        return request_services.submit_request(
            user=user,
            request_type=RequestType.INSTALMENTS,
            contract=invoice.contract,
            invoice=locked,
            description=description,
            channel=channel,
            contact_value=contact_value,
            payload={"instalments": instalments},
            submission_key=submission_key,
        )


@transaction.atomic
def resolve_complaint_with_credit_note(
    *, service_request: ServiceRequest, reason: str, actor: User, message: str = ""
) -> tuple[Invoice, Invoice]:
    """The clerk finds a complaint right: the invoice is cancelled by a credit note that
    says why and billed again (billing's «Corrigir fatura»), and the complaint is answered
    and closed, in one transaction. Returns (credit note, new invoice)."""
    if service_request.request_type != RequestType.COMPLAINT or service_request.invoice_id is None:
        raise ValidationError(_("Este pedido não é uma reclamação de uma fatura."))
    if not reason.strip():
        raise ValidationError(_("Indique o motivo da correção."))
    if not actor.has_perm("billing.add_invoice"):
        # The same right as billing's «Corrigir fatura»: Faturação's.
        raise ValidationError(_("Só a Faturação pode corrigir uma fatura com nota de crédito."))
    invoice = Invoice.objects.get(pk=service_request.invoice_id)
    try:
        note, replacement = correct_invoice(invoice=invoice, reason=reason.strip(), actor=actor)
    except (IssueError, ValueError) as error:
        raise ValidationError(
            _("A fatura %(number)s não foi corrigida: %(error)s")
            % {"number": invoice.number, "error": error}
        ) from error
    summary = _(
        "A fatura %(number)s foi anulada pela nota de crédito %(note)s e substituída pela "
        "fatura %(new)s."
    ) % {"number": invoice.number, "note": note.number, "new": replacement.number}
    request_services.answer_and_close(
        service_request=service_request,
        actor=actor,
        resolution=f"{message.strip()}\n\n{summary}".strip(),
    )
    return note, replacement
