"""The back office's payments: Faturação registers a counter payment and reverses one by
mistake, through the admin's pages; Atendimento only reads."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.models import Invoice
from balcao.billing.tests.factories import issue_month_invoice
from balcao.core.roles import sync_staff_groups
from balcao.payments.models import Payment, Receipt
from balcao.payments.services.receipts import open_amount
from balcao.payments.tests.factories import pay_invoice

pytestmark = pytest.mark.django_db

ADD = "/admin/payments/payment/add/"


@pytest.fixture
def billing_clerk(client):
    sync_staff_groups()
    user = UserFactory(username="faturacao", is_staff=True)
    user.groups.add(Group.objects.get(name="Faturação"))
    client.force_login(user)
    return user


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def error_next_to(html, field):
    """The error text rendered with the field (the field template's id="<field>-error")."""
    match = re.search(rf'id="id_{field}_error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip() if match else ""


@time_machine.travel("2026-11-12 10:00+00:00", tick=False)
def test_a_clerk_registers_a_counter_payment_of_two_invoices(client, billing_clerk, casa):
    september = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    october = issue_month_invoice(casa, datetime.date(2026, 10, 1))

    listing = client.get("/admin/payments/payment/").content.decode()
    assert f'href="{ADD}" class="addlink">Registar pagamento</a>' in listing
    page = client.get(ADD)
    assert page.status_code == 200 and "Registar pagamento" in page.content.decode()
    found = client.get(ADD, {"account": casa.contract_number}).content.decode()
    assert september.number in found and october.number in found
    assert "em dívida 26,74 €" in found or "em dívida" in found

    url = f"{ADD}?account={casa.contract_number}"
    total = september.gross_total + october.gross_total
    response = client.post(
        url,
        {
            "invoices": [september.pk, october.pk],
            "method": "cash",
            "paid_on": "12/11/2026",
            "amount": f"{total}".replace(".", ","),
        },
        follow=True,
    )

    payment = Payment.objects.get()
    assert payment.method == "cash" and payment.amount == total
    assert payment.source == "Balcão" and payment.created_by == billing_clerk
    receipt = payment.receipt
    assert receipt.number == "RG 2026A/1"
    assert [line.invoice for line in receipt.lines.all()] == [september, october]
    assert set(Invoice.objects.values_list("status", flat=True)) == {"paid"}
    assert messages_of(response) == [
        f"Pagamento de {str(total).replace('.', ',')} € registado: recibo RG 2026A/1."
    ]
    assert response.request["PATH_INFO"] == f"/admin/payments/payment/{payment.pk}/change/"


@time_machine.travel("2026-11-12 10:00+00:00", tick=False)
def test_a_part_payment_settles_the_oldest_invoice_first(client, billing_clerk, casa):
    september = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    october = issue_month_invoice(casa, datetime.date(2026, 10, 1))
    amount = september.gross_total + Decimal("1.00")
    client.post(
        f"{ADD}?account={casa.account.account_number}",
        {
            "invoices": [october.pk, september.pk],
            "method": "transfer",
            "paid_on": "10/11/2026",
            "amount": str(amount).replace(".", ","),
        },
    )
    payment = Payment.objects.get()
    assert payment.paid_at.date() == datetime.date(2026, 11, 10)
    assert [(line.invoice, line.amount) for line in payment.receipt.lines.all()] == [
        (september, september.gross_total),
        (october, Decimal("1.00")),
    ]
    october.refresh_from_db()
    assert october.status == "issued" and open_amount(october) == october.gross_total - 1


@time_machine.travel("2026-11-12 10:00+00:00", tick=False)
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"invoices": []}, "invoices", "Escolha as faturas a liquidar."),
        ({"paid_on": "13/11/2026"}, "paid_on", "A data do pagamento não pode ser depois de hoje."),
        ({"paid_on": "31/02/2026"}, "paid_on", "como dd/mm/aaaa"),
        ({"amount": "0"}, "amount", "Indique um montante maior do que 0,00 €."),
        ({"amount": "999,00"}, "amount", "O montante é maior do que o valor em dívida"),
        ({"method": "multibanco"}, "method", "Escolha o meio de pagamento da lista."),
    ],
)
def test_mistakes_are_said_next_to_their_field_and_nothing_is_registered(
    client, billing_clerk, casa, data, field, message
):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    valid = {
        "invoices": [invoice.pk],
        "method": "cash",
        "paid_on": "12/11/2026",
        "amount": str(invoice.gross_total).replace(".", ","),
    }
    response = client.post(f"{ADD}?account={casa.contract_number}", {**valid, **data})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Erro: Registar pagamento" in html
    assert message in error_next_to(html, field), error_next_to(html, field)
    assert not Payment.objects.exists() and not Receipt.objects.exists()


def test_an_unknown_account_is_said_next_to_the_search(client, billing_clerk):
    html = client.get(ADD, {"account": "999999"}).content.decode()
    assert "Não há contrato nem conta com o número 999999." in error_next_to(html, "account")


def test_a_clerk_reverses_a_payment_with_its_reason(client, billing_clerk, casa):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    payment = pay_invoice(invoice)
    change = client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    url = reverse("admin:payments_payment_reverse", args=[payment.pk])
    assert f'href="{url}"' in change.content.decode()

    empty = client.post(url, {"reason": "  "})
    assert "Indique o motivo da anulação." in error_next_to(empty.content.decode(), "reason")
    assert not payment.receipt.__class__.objects.filter(status="cancelled").exists()

    response = client.post(url, {"reason": "Registado na conta errada."}, follow=True)
    assert messages_of(response) == ["Pagamento anulado: o recibo RG 2026A/1 ficou anulado."]
    reversal = Payment.objects.get(reverses=payment)
    assert reversal.reason == "Registado na conta errada." and reversal.created_by == billing_clerk
    assert Receipt.objects.get().status == Receipt.Status.CANCELLED
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    # Reversed once: no second reversal, and the control is gone.
    again = client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    assert f'href="{url}"' not in again.content.decode()
    client.post(url, {"reason": "De novo."})
    assert Payment.objects.filter(reverses=payment).count() == 1


def test_atendimento_reads_payments_and_receipts_but_registers_and_reverses_nothing(
    clerk_client, casa, django_capture_on_commit_callbacks
):
    sync_staff_groups()
    with django_capture_on_commit_callbacks(execute=True):  # the receipt's PDF is drawn
        payment = pay_invoice(issue_month_invoice(casa, datetime.date(2026, 9, 1)))
    assert clerk_client.get("/admin/payments/payment/").status_code == 200
    assert clerk_client.get("/admin/payments/receipt/").status_code == 200
    receipt_page = clerk_client.get(
        reverse("admin:payments_receipt_change", args=[payment.receipt.pk])
    )
    assert receipt_page.status_code == 200 and "RG 2026A/1" in receipt_page.content.decode()
    pdf = clerk_client.get(reverse("admin:payments_receipt_pdf", args=[payment.receipt.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert "Registar pagamento" not in clerk_client.get("/admin/payments/payment/").content.decode()
    assert clerk_client.get(ADD).status_code == 403
    url = reverse("admin:payments_payment_reverse", args=[payment.pk])
    assert clerk_client.post(url, {"reason": "Engano."}).status_code == 403
    assert not Payment.objects.filter(reverses=payment).exists()
