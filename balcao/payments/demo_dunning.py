"""The demo's unpaid invoices (issue 13), through the real services: on ana's "Casa" an
invoice she contests (its complaint open) and one paid in three instalments (the first
paid by Multibanco); on bruno's contract an overdue invoice with its reminder sent, which
the clerk's next cut-off warning run ("Gerar avisos de interrupção") will warn.

Payments' demo (balcao.payments.demo.STORY_INVOICES) leaves these invoices unpaid.
"""

import datetime
import random

from django.utils import timezone

from balcao.accounts.models import User
from balcao.billing.models import DocumentType, Invoice
from balcao.payments.services.dunning import send_payment_reminders
from balcao.payments.services.invoice_requests import ask_for_instalments, contest_invoice
from balcao.payments.services.plans import accept_payment_plan, pay_instalment
from balcao.service_requests.models import Channel

CASA, BRUNO = "600001", "600003"


def _earlier_invoice(contract_number: str, back: int) -> Invoice | None:
    """The contract's invoice ``back`` places before its latest (left unpaid)."""
    invoices = list(
        Invoice.objects.filter(
            contract__contract_number=contract_number, document_type=DocumentType.INVOICE
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .order_by("-period_start")[: back + 1]
    )
    if len(invoices) <= back:
        return None
    invoice = invoices[back]
    return invoice


def seed(*, rng: random.Random, today: datetime.date, stdout) -> None:
    ana = User.objects.filter(username="ana").first()
    clerk = User.objects.filter(username="atendimento").first()
    if ana is None or clerk is None:
        return
    contested = _earlier_invoice(CASA, 1)
    if contested is not None:
        contest_invoice(
            user=ana,
            invoice=contested,
            description=(
                f"Reclamo da fatura {contested.number}: o consumo é o dobro do habitual e "
                "ninguém mora na casa neste período."
            ),
            channel=Channel.EMAIL,
            contact_value=ana.email,
        )
    in_plan = _earlier_invoice(CASA, 2)
    if in_plan is not None:
        request = ask_for_instalments(
            user=ana,
            invoice=in_plan,
            instalments=3,
            description="Este mês não consigo pagar tudo de uma vez.",
            channel=Channel.EMAIL,
            contact_value=ana.email,
        )
        plan = accept_payment_plan(
            service_request=request, instalments=3, first_due_date=today, actor=clerk
        )
        first = plan.instalments.order_by("number").first()
        assert first is not None
        pay_instalment(
            first,
            paid_at=timezone.now(),
            source="Multibanco (demonstração)",
            transaction_id=f"DEMO-PRESTACAO-{first.pk}",
        )
    overdue = _earlier_invoice(BRUNO, 2)
    counts = send_payment_reminders(today=today)
    stdout.write(
        "  dívida: "
        + (f"fatura {contested.number} reclamada; " if contested else "")
        + (f"fatura {in_plan.number} em 3 prestações (1 paga); " if in_plan else "")
        + (f"fatura {overdue.number} vencida; " if overdue else "")
        + f"{counts.sent} lembrete(s) de pagamento"
    )
