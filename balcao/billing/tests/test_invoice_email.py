"""E-invoice: the invoice goes by e-mail after it commits, with its PDF and how to pay it;
an SMTP failure is recorded and retried; paper accounts get no e-mail (issue 13)."""

import datetime
import smtplib
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction

from balcao.billing.models import DirectDebitMandate, Invoice, InvoiceDelivery
from balcao.billing.services.billing_run import run_billing
from balcao.billing.services.deliveries import MAX_ATTEMPTS
from balcao.billing.tests.factories import issue_for_period
from balcao.contracts.tests.factories import ContractFactory
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 30))  # 30 days: 26,74 €
ISSUED_AT = "2026-11-02 10:15:30+00:00"
FAILING = "balcao.billing.tests.test_invoice_email.FailingSmtpBackend"


class FailingSmtpBackend(BaseEmailBackend):
    """A mail server that hangs up, as one being restarted does."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def e_invoice_contract():
    contract = ContractFactory(customer__name="Ana Silva", customer__nif="232013969")
    account = contract.account
    account.e_invoice = True
    account.e_invoice_email = "faturas.ana@example.pt"
    account.save()
    return contract


def issue_committed(contract, tariff, callbacks):
    """Issue October's invoice and run what waits for the commit (the PDF, the e-mail)."""
    with callbacks(execute=True):
        invoice = issue_for_period(contract, tariff, OCTOBER, "10")
        assert mail.outbox == []  # nothing leaves before the invoice is committed
    invoice.refresh_from_db()
    return invoice


def delivery_of(invoice):
    return InvoiceDelivery.objects.get(invoice=invoice)


@time_machine.travel(ISSUED_AT, tick=False)
def test_an_e_invoice_account_gets_the_invoice_by_e_mail_with_its_pdf_and_multibanco(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://balcao.smas-leiria.pt"
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == ["faturas.ana@example.pt"]
    assert message.subject == "A sua fatura FT 2026A/1"
    text = message.body
    for expected in (
        "Emitimos a fatura FT 2026A/1, do consumo de 01/10/2026 a 30/10/2026.",
        f"Contrato n.º {e_invoice_contract.contract_number}",
        "Valor: 26,74 €",
        "Pagar até: 22/11/2026",
        "Pagamento por Multibanco ou homebanking",
        "Entidade: 90150",
        "Montante: 26,74 €",
        "https://balcao.smas-leiria.pt/faturas/FT-2026A-1/",
    ):
        assert expected in text, expected
    assert "Referência: 123 " in text
    assert "débito" not in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://balcao.smas-leiria.pt/faturas/FT-2026A-1/"' in html
    assert "26,74 €" in html and "90150" in html
    [(name, content, kind)] = message.attachments
    assert (name, kind) == ("ft-2026a-1.pdf", "application/pdf")
    assert content == invoice.pdf.read()  # the PDF kept, the same bytes

    delivery = delivery_of(invoice)
    assert delivery.channel == InvoiceDelivery.Channel.EMAIL
    assert delivery.to_address == "faturas.ana@example.pt"
    assert delivery.status == InvoiceDelivery.Status.SENT
    assert delivery.attempts == 1 and delivery.last_error == ""
    assert delivery.sent_at is not None and delivery.next_attempt_at is None


@time_machine.travel(ISSUED_AT, tick=False)
def test_a_direct_debit_account_gets_the_pre_notification_instead(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks
):
    account = e_invoice_contract.account
    account.direct_debit = True
    account.save()
    DirectDebitMandate.objects.create(
        reference="SMAS-TEST-1",
        account=account,
        debtor_name="Ana Silva",
        debtor_address="Rua",
        iban="PT50000201231234567890154",
        creditor_name="SMAS",
        creditor_address="Leiria",
        creditor_identifier="PT12ZZZ100001",
        signed_at=datetime.date(2026, 1, 5),
        signed_place="Leiria",
        authorisation_text="…",
    )
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert "Pagamento por débito direto" in message.body
    assert (
        "Vamos debitar 26,74 € na conta PT50 **** **** **** 0154 no dia 22/11/2026." in message.body
    )
    assert "Entidade" not in message.body and "Referência" not in message.body
    assert "PT50 **** **** **** 0154" in message.alternatives[0][0]
    assert "0201231234567890" not in message.body  # the IBAN only masked
    # SEPA: the debtor hears of the debit at least 5 days before it.
    assert (invoice.due_date - invoice.issue_date).days >= 5
    assert delivery_of(invoice).status == InvoiceDelivery.Status.SENT


def test_a_paper_account_gets_no_e_mail_its_invoice_waits_for_the_print_run(
    demo_tariff, django_capture_on_commit_callbacks
):
    contract = ContractFactory(customer__name="Bruno Costa")
    invoice = issue_committed(contract, demo_tariff, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    delivery = delivery_of(invoice)
    assert delivery.channel == InvoiceDelivery.Channel.PAPER
    assert delivery.status == InvoiceDelivery.Status.PENDING
    assert delivery.to_address.startswith("Bruno Costa\n")
    assert str(contract.account.billing_address) in delivery.to_address


def test_an_e_invoice_account_without_an_address_gets_paper(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks
):
    account = e_invoice_contract.account
    account.e_invoice_email = ""
    account.save()
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert delivery_of(invoice).channel == InvoiceDelivery.Channel.PAPER


def test_an_invoice_rolled_back_sends_nothing_and_records_nothing(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        issue_for_period(e_invoice_contract, demo_tariff, OCTOBER, "10")
        transaction.set_rollback(True)

    assert mail.outbox == []
    assert not InvoiceDelivery.objects.exists()


def test_an_smtp_failure_is_recorded_and_retried_later_by_the_command(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = FAILING
    with time_machine.travel(ISSUED_AT, tick=False):
        invoice = issue_committed(
            e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks
        )
    delivery = delivery_of(invoice)
    assert delivery.status == InvoiceDelivery.Status.FAILED
    assert delivery.attempts == 1
    assert delivery.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert delivery.next_attempt_at.isoformat() == "2026-11-02T10:20:30+00:00"  # 5 min
    assert invoice.pdf  # kept all the same

    # The server is back; before the backoff the cron leaves it, after it sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    with time_machine.travel("2026-11-02 10:18:00+00:00", tick=False):
        call_command("send_pending_invoice_emails", stdout=out)
    assert mail.outbox == []
    assert "0 e-mails de faturas por enviar" in out.getvalue()
    with time_machine.travel("2026-11-02 10:21:00+00:00", tick=False):
        call_command("send_pending_invoice_emails", stdout=out)
    assert "1 e-mails de faturas por enviar: 1 enviados, 0 falharam" in out.getvalue()
    [message] = mail.outbox
    assert message.attachments[0][0] == "ft-2026a-1.pdf"
    delivery.refresh_from_db()
    assert delivery.status == InvoiceDelivery.Status.SENT
    assert delivery.attempts == 2 and delivery.last_error == ""

    # Sent: the cron never sends it again.
    with time_machine.travel("2026-11-03 10:00:00+00:00", tick=False):
        call_command("send_pending_invoice_emails", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_retries_wait_longer_each_time_and_stop_after_the_last_attempt(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = FAILING
    start = datetime.datetime.fromisoformat(ISSUED_AT)
    with time_machine.travel(start, tick=False):
        invoice = issue_committed(
            e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks
        )
    waits = []
    delivery = delivery_of(invoice)
    while delivery.next_attempt_at is not None:
        waits.append(delivery.next_attempt_at - start)
        start = delivery.next_attempt_at
        with time_machine.travel(start, tick=False):
            call_command("send_pending_invoice_emails", stdout=StringIO())
        delivery.refresh_from_db()

    minutes = [int(wait.total_seconds() // 60) for wait in waits]
    assert minutes[:4] == [5, 15, 45, 135] and max(minutes) == 360
    assert delivery.attempts == MAX_ATTEMPTS
    assert delivery.status == InvoiceDelivery.Status.FAILED  # left for the staff


def test_two_attempts_at_once_send_one_message(
    demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    settings.BILLING_RENDER_PDF = False  # nothing at issue: the cron will send it
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and not invoice.pdf

    from balcao.billing.services import deliveries

    real_claim = deliveries._claim

    def claim_then_another_worker_tries(pk, now):
        claimed = real_claim(pk, now)
        if claimed:  # while this attempt holds it, a second one gets nothing
            assert deliveries._claim(pk, now) is False
        return claimed

    deliveries._claim = claim_then_another_worker_tries
    try:
        call_command("send_pending_invoice_emails", stdout=StringIO())
    finally:
        deliveries._claim = real_claim
    assert len(mail.outbox) == 1
    invoice.refresh_from_db()
    assert invoice.pdf  # drawn for the e-mail
    assert delivery_of(invoice).attempts == 1


def read(contract, day, index):
    ReadingFactory(
        installation=contract.installation,
        taken_on=day,
        index=index,
        status=Reading.Status.BILLABLE,
        origin=Reading.Origin.COMPANY,
    )


@time_machine.travel("2026-06-09 10:00:00+00:00", tick=False)
def test_the_billing_run_records_every_delivery_and_e_mails_the_e_invoice_accounts(
    demo_tariff, django_capture_on_commit_callbacks
):
    contracts = [ContractFactory() for _ in range(4)]
    for number, contract in enumerate(contracts):
        read(contract, datetime.date(2026, 4, 30), 1000)
        read(contract, datetime.date(2026, 5, 31), 1010)
        if number % 2:
            contract.account.e_invoice = True
            contract.account.e_invoice_email = f"cliente{number}@example.pt"
            contract.account.save()

    with django_capture_on_commit_callbacks(execute=True):
        counts = run_billing(month=datetime.date(2026, 5, 1), issue_date=datetime.date(2026, 6, 9))

    assert counts.issued == 4
    assert sorted(m.to[0] for m in mail.outbox) == ["cliente1@example.pt", "cliente3@example.pt"]
    channels = dict(
        InvoiceDelivery.objects.values_list("invoice__contract_id", "channel").order_by()
    )
    assert channels == {
        contract.pk: "email" if number % 2 else "paper" for number, contract in enumerate(contracts)
    }
    assert Invoice.objects.filter(pdf="").count() == 0


def test_faturacao_sends_a_failed_e_mail_again_from_the_admin(
    client, demo_tariff, e_invoice_contract, django_capture_on_commit_callbacks, settings
):
    from django.contrib.auth.models import Group

    from balcao.accounts.tests.factories import UserFactory

    settings.EMAIL_BACKEND = FAILING
    invoice = issue_committed(e_invoice_contract, demo_tariff, django_capture_on_commit_callbacks)
    delivery = delivery_of(invoice)
    assert delivery.status == InvoiceDelivery.Status.FAILED

    user = UserFactory(username="faturacao", is_staff=True)
    user.groups.add(Group.objects.get(name="Faturação"))
    client.force_login(user)
    page = client.get("/admin/billing/invoicedelivery/").content.decode()
    assert "Falhou" in page and "faturas.ana@example.pt" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(
        "/admin/billing/invoicedelivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["faturas.ana@example.pt"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (InvoiceDelivery.Status.SENT, 2)
    # The invoice's page in the back office says how it went out.
    page = client.get(f"/admin/billing/invoice/{invoice.pk}/change/").content.decode()
    assert "E-mail (fatura eletrónica)" in page and "Enviada" in page


def test_atendimento_cannot_send_again(clerk_client, demo_tariff, e_invoice_contract, settings):
    settings.EMAIL_BACKEND = FAILING
    invoice = issue_for_period(e_invoice_contract, demo_tariff, OCTOBER, "10")
    delivery = delivery_of(invoice)
    page = clerk_client.get("/admin/billing/invoicedelivery/").content.decode()
    assert "send_again" not in page
    clerk_client.post(
        "/admin/billing/invoicedelivery/",
        {"action": "send_again", "_selected_action": [delivery.pk]},
    )
    delivery.refresh_from_db()
    assert delivery.attempts == 0 and mail.outbox == []
