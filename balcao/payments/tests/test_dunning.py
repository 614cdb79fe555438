"""Unpaid invoices: "Vencida", the reminder at due + 8 days (``send_payment_reminders``) and
the written cut-off warning at due + 30 days (the admin's letter run), each once, with the
timeline on the customer's invoice page."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from balcao.payments.models import DunningNotice, WarningRun
from balcao.payments.services.dunning import CUT_OFF_NOTICE_DAYS

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def page(client, invoice):
    return client.get(reverse("billing:invoice", args=[invoice.number])).content.decode()


def remind(day):
    out = io.StringIO()
    call_command("send_payment_reminders", date=day.isoformat(), stdout=out)
    return out.getvalue()


def test_an_unpaid_invoice_is_vencida_after_its_due_date_and_shows_what_comes_next(
    ana_client, unpaid, on_day
):
    on_day(unpaid.due_date + DAY)
    html = page(ana_client, unpaid)
    assert '<span class="status status--bad">Vencida</span>' in html
    assert "Se a fatura não for paga" in html
    reminder = unpaid.due_date + 8 * DAY
    warning = unpaid.due_date + 30 * DAY
    cut_off = warning + CUT_OFF_NOTICE_DAYS * DAY
    for day, label in [
        (reminder, "Lembrete por e-mail"),
        (warning, "Aviso de interrupção do fornecimento, por carta"),
        (cut_off, "Interrupção do fornecimento possível a partir de"),
    ]:
        assert f"<strong>{day:%d/%m/%Y}</strong> — {label}" in html
    assert html.count("Previsto") == 3


def test_the_reminder_goes_once_at_due_plus_8_days(
    ana_client, unpaid, django_capture_on_commit_callbacks
):
    day = unpaid.due_date + 7 * DAY
    assert "0 por enviar" in remind(day)
    with django_capture_on_commit_callbacks(execute=True):
        output = remind(day + DAY)
    assert "1 por enviar, 1 registados" in output
    [message] = mail.outbox
    assert message.to == ["ana.silva@example.pt"]
    assert unpaid.number in message.subject
    assert "Entidade" in message.body or "entidade" in message.body
    notice = DunningNotice.objects.get()
    assert (notice.kind, notice.sent_on, notice.amount) == (
        "reminder",
        day + DAY,
        unpaid.gross_total,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert "0 por enviar" in remind(day + 2 * DAY)  # not twice
    assert len(mail.outbox) == 1


def test_the_warning_run_prints_a_cut_off_date_20_days_later_and_the_page_shows_it(
    client, ana, billing_clerk, unpaid, casa, on_day, django_capture_on_commit_callbacks
):
    from balcao.billing.tests.factories import issue_month_invoice

    recent = issue_month_invoice(casa, datetime.date(2026, 10, 1))  # due later: not yet
    warning_on = unpaid.due_date + 30 * DAY
    on_day(warning_on)
    client.force_login(billing_clerk)
    add = reverse("admin:payments_warningrun_add")
    assert "1 fatura por pagar" in client.get(add).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {"warning_date": warning_on.strftime("%d/%m/%Y")})
    run = WarningRun.objects.get()
    assert response.url == reverse("admin:payments_warningrun_change", args=[run.pk])
    run.refresh_from_db()
    assert (run.status, run.total, run.done) == ("done", 1, 1)
    notice = DunningNotice.objects.get(kind="warning")
    assert notice.invoice == unpaid and notice.sent_on == warning_on
    assert notice.cut_off_date >= warning_on + 20 * DAY
    assert not DunningNotice.objects.filter(invoice=recent).exists()
    pdf = client.get(reverse("admin:payments_warningrun_pdf", args=[run.pk]))
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF") and pdf["Content-Disposition"].startswith("attachment")
    assert "Descarregar PDF" in client.get(response.url).content.decode()

    # a second run the same day warns nobody twice
    with django_capture_on_commit_callbacks(execute=True):
        client.post(add, {"warning_date": warning_on.strftime("%d/%m/%Y")})
    assert DunningNotice.objects.filter(kind="warning").count() == 1

    client.force_login(ana)
    html = page(client, unpaid)
    assert (
        f"<strong>{warning_on:%d/%m/%Y}</strong> — Aviso de interrupção do fornecimento, por "
        'carta <span class="status status--ok">Enviado</span>'
    ) in html
    assert f"<strong>{notice.cut_off_date:%d/%m/%Y}</strong> — Interrupção" in html


def test_a_paid_invoice_gets_no_reminder_nor_timeline(ana_client, casa):
    from balcao.billing.tests.factories import issue_month_invoice

    paid = issue_month_invoice(casa, datetime.date(2026, 9, 1), paid=True)
    assert "0 por enviar" in remind(paid.due_date + 40 * DAY)
    assert "Se a fatura não for paga" not in page(ana_client, paid)


def test_the_demo_has_a_contested_invoice_a_plan_in_progress_and_a_reminder(db):
    from balcao.billing.models import Invoice
    from balcao.payments.models import Instalment
    from balcao.service_requests.models import RequestType, ServiceRequest

    out = io.StringIO()
    call_command("seed_demo", customers=5, stdout=out)
    assert "dívida:" in out.getvalue()
    complaint = ServiceRequest.objects.get(
        request_type=RequestType.COMPLAINT, invoice__isnull=False
    )
    assert complaint.is_open and complaint.user.username == "ana"
    instalments = Instalment.objects.filter(plan__invoice__contract__contract_number="600001")
    assert instalments.count() == 3
    assert [i.is_paid for i in instalments.order_by("number")] == [True, False, False]
    # bruno's overdue invoice (and Loja's, whose debit the bank returned: demo_sepa)
    reminder = DunningNotice.objects.get(
        kind="reminder", invoice__contract__contract_number="600003"
    )
    assert reminder.invoice.status == Invoice.Status.ISSUED
