"""Credit notes reach the customer as invoices do (e-mail with the PDF, or the print run),
and an invoice cancelled by one before its e-mail went out is never sent (issue 13)."""

import datetime
import smtplib
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from balcao.billing.models import Invoice, InvoiceDelivery
from balcao.billing.services.invoices import issue_credit_note
from balcao.billing.tasks import send_invoice_email_task
from balcao.billing.tests.factories import issue_for_period
from balcao.contracts.tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 30))  # 30 days: 26,74 €
ISSUED_AT = "2026-11-02 10:15:30+00:00"
FAILING = "balcao.billing.tests.test_credit_note_delivery.FailingSmtpBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
WITHDRAWN_NOTE = "A fatura foi anulada pela nota de crédito NC 2026A/1 antes de ser enviada."


class FailingSmtpBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class CancelledWhileSendingBackend(BaseEmailBackend):
    """A clerk issues the credit note while the server is failing the invoice's e-mail."""

    invoice: Invoice | None = None

    def send_messages(self, email_messages):
        assert self.invoice is not None
        issue_credit_note(invoice=self.invoice, reason="Leitura mal registada.")
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def e_invoice_contract():
    contract = ContractFactory(customer__name="Ana Silva")
    contract.account.e_invoice = True
    contract.account.e_invoice_email = "faturas.ana@example.pt"
    contract.account.save()
    return contract


def issue_committed(contract, tariff, callbacks):
    with time_machine.travel(ISSUED_AT, tick=False), callbacks(execute=True):
        invoice = issue_for_period(contract, tariff, OCTOBER, "10")
    invoice.refresh_from_db()
    return invoice


def cancel_committed(invoice, callbacks, at="2026-11-02 10:17:00+00:00"):
    """The real credit-note service, and what waits for its commit (its PDF, its e-mail)."""
    with time_machine.travel(at, tick=False), callbacks(execute=True):
        note = issue_credit_note(invoice=invoice, reason="Leitura mal registada.")
    note.refresh_from_db()
    return note


def delivery_of(document):
    return InvoiceDelivery.objects.get(invoice=document)


def test_an_invoice_cancelled_while_its_e_mail_waits_for_a_retry_is_never_sent(
    clerk_client, demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = FAILING
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)
    delivery = delivery_of(invoice)
    assert (delivery.status, delivery.attempts) == (InvoiceDelivery.Status.FAILED, 1)

    settings.EMAIL_BACKEND = LOCMEM  # the server is back
    note = cancel_committed(invoice, django_capture_on_commit_callbacks)
    [note_message] = mail.outbox  # the customer hears of the credit note
    assert note_message.subject.startswith("A sua nota de crédito NC 2026A/1")

    # The retry the first failure scheduled, then the cron, after the backoff and a day on.
    with time_machine.travel("2026-11-02 10:21:00+00:00", tick=False):
        send_invoice_email_task.enqueue(invoice_id=invoice.pk)
        out = StringIO()
        call_command("send_pending_invoice_emails", stdout=out)
    with time_machine.travel("2026-11-03 10:00:00+00:00", tick=False):
        call_command("send_pending_invoice_emails", stdout=out)
    assert mail.outbox == [note_message]
    assert "0 e-mails de faturas por enviar" in out.getvalue()

    delivery.refresh_from_db()
    assert delivery.status == InvoiceDelivery.Status.WITHDRAWN
    assert delivery.note == WITHDRAWN_NOTE
    assert delivery.next_attempt_at is None and delivery.sent_at is None
    assert delivery.attempts == 1  # the one that failed; the skipped ones tried nothing
    assert delivery.last_error.startswith("SMTPServerDisconnected")
    assert delivery_of(note).status == InvoiceDelivery.Status.SENT
    # The clerk reads why, on the delivery and in the list.
    page = clerk_client.get(f"/admin/billing/invoicedelivery/{delivery.pk}/change/")
    assert WITHDRAWN_NOTE in page.content.decode()
    listing = clerk_client.get("/admin/billing/invoicedelivery/?status=withdrawn")
    assert "Não enviada" in listing.content.decode()


def test_an_e_mail_due_for_an_invoice_already_cancelled_is_withdrawn_by_the_attempt(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    # Both e-mails left to the cron (as with BILLING_RENDER_PDF off), and the invoice's row
    # still due although its credit note exists: a row written before withdrawals.
    settings.BILLING_RENDER_PDF = False
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)
    note = cancel_committed(invoice, django_capture_on_commit_callbacks)
    InvoiceDelivery.objects.filter(invoice=invoice).update(
        status=InvoiceDelivery.Status.PENDING,
        note="",
        next_attempt_at=datetime.datetime.fromisoformat(ISSUED_AT),
    )

    out = StringIO()
    with time_machine.travel("2026-11-02 10:30:00+00:00", tick=False):
        call_command("send_pending_invoice_emails", stdout=out)

    assert out.getvalue().endswith(
        "2 e-mails de faturas por enviar: 1 enviados, 0 falharam (voltam a ser tentados), "
        "1 não enviados (fatura anulada), 0 já tratados por outro processo.\n"
    )
    [message] = mail.outbox
    assert message.attachments[0][0] == "nc-2026a-1.pdf"
    delivery = delivery_of(invoice)
    assert (delivery.status, delivery.note) == (InvoiceDelivery.Status.WITHDRAWN, WITHDRAWN_NOTE)
    assert delivery.attempts == 0
    assert delivery_of(note).status == InvoiceDelivery.Status.SENT


def test_a_credit_note_issued_while_an_attempt_fails_is_not_undone_by_the_failure(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings, monkeypatch
):
    settings.BILLING_RENDER_PDF = False
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = f"{__name__}.CancelledWhileSendingBackend"
    monkeypatch.setattr(CancelledWhileSendingBackend, "invoice", invoice)

    with time_machine.travel("2026-11-02 10:30:00+00:00", tick=False):
        send_invoice_email_task.enqueue(invoice_id=invoice.pk)

    delivery = delivery_of(invoice)
    assert delivery.status == InvoiceDelivery.Status.WITHDRAWN  # not "Falhou", no retry
    assert delivery.note == WITHDRAWN_NOTE and delivery.next_attempt_at is None


@time_machine.travel(ISSUED_AT, tick=False)
def test_an_e_invoice_account_gets_the_credit_note_by_e_mail_with_its_pdf(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://balcao.smas-leiria.pt"
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)
    note = cancel_committed(invoice, django_capture_on_commit_callbacks)

    invoice_message, message = mail.outbox
    assert message.to == ["faturas.ana@example.pt"]
    assert message.subject == "A sua nota de crédito NC 2026A/1, que anula a fatura FT 2026A/1"
    for expected in (
        "Emitimos a nota de crédito NC 2026A/1, que anula a fatura FT 2026A/1, do consumo de "
        "01/10/2026 a 30/10/2026. Segue em anexo, em PDF.",
        "Motivo: Leitura mal registada.",
        f"Contrato n.º {e_invoice_contract.contract_number}",
        "Valor creditado: 26,74 €",
        "Já não tem nada a pagar pela fatura FT 2026A/1.",
        "https://balcao.smas-leiria.pt/faturas/NC-2026A-1/",
    ):
        assert expected in message.body, expected
    for absent in ("Referência", "Pagar até", "reembolso"):
        assert absent not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "FT 2026A/1" in html and "26,74 €" in html
    [(name, content, kind)] = message.attachments
    assert (name, kind) == ("nc-2026a-1.pdf", "application/pdf")
    assert content == note.pdf.read()

    delivery = delivery_of(note)
    assert (delivery.channel, delivery.to_address) == ("email", "faturas.ana@example.pt")
    assert (delivery.status, delivery.attempts) == (InvoiceDelivery.Status.SENT, 1)
    # The invoice had gone out already: its delivery stays as it was.
    assert delivery_of(invoice).status == InvoiceDelivery.Status.SENT


def test_a_credit_notes_failed_e_mail_is_retried_by_the_cron(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = FAILING
    note = cancel_committed(invoice, django_capture_on_commit_callbacks)
    delivery = delivery_of(note)
    assert (delivery.status, delivery.attempts) == (InvoiceDelivery.Status.FAILED, 1)
    assert delivery.next_attempt_at.isoformat() == "2026-11-02T10:22:00+00:00"  # 5 min

    settings.EMAIL_BACKEND = LOCMEM
    with time_machine.travel("2026-11-02 10:23:00+00:00", tick=False):
        call_command("send_pending_invoice_emails", stdout=StringIO())
    invoice_message, message = mail.outbox
    assert message.subject.startswith("A sua nota de crédito NC 2026A/1")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (InvoiceDelivery.Status.SENT, 2)


def test_a_paper_accounts_credit_note_waits_for_the_print_run(
    demo_tariff, django_capture_on_commit_callbacks
):
    contract = ContractFactory(customer__name="Bruno Costa")
    invoice = issue_committed(contract, demo_tariff, django_capture_on_commit_callbacks)
    note = cancel_committed(invoice, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    delivery = delivery_of(note)
    assert delivery.channel == InvoiceDelivery.Channel.PAPER
    assert delivery.status == InvoiceDelivery.Status.PENDING
    assert delivery.to_address.startswith("Bruno Costa\n")
    # The invoice, not printed yet, never will be.
    withdrawn = delivery_of(invoice)
    assert (withdrawn.status, withdrawn.note) == (InvoiceDelivery.Status.WITHDRAWN, WITHDRAWN_NOTE)
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.CANCELLED
