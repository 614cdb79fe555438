""" "Pedir pagamento em prestações": the customer asks (2 to 12), a clerk accepts and sets
the instalments, each with its Multibanco reference on the invoice page; reminders follow
the instalments; paying one is a part payment of the invoice."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from balcao.billing.models import Invoice
from balcao.billing.multibanco import multibanco_reference
from balcao.core.money import format_euros
from balcao.payments.holds import not_in_payment_plan
from balcao.payments.models import DunningNotice, Instalment, PaymentPlan
from balcao.payments.services.plans import (
    add_months,
    pay_instalment,
    split_amount,
)
from balcao.service_requests.models import RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def ask(client, invoice, instalments="3"):
    return client.post(
        reverse("payments:instalments", args=[invoice.number]),
        {"instalments": instalments, "channel": "email", "contact_value": "ana.silva@example.pt"},
    )


def accept(client, service_request, instalments, first_due):
    return client.post(
        reverse(
            "admin:service_requests_servicerequest_action",
            args=[service_request.pk, "prestacoes"],
        ),
        {"instalments": str(instalments), "first_due_date": first_due.strftime("%d/%m/%Y")},
    )


def test_amounts_split_to_the_cent_and_dates_a_month_apart():
    assert split_amount(Decimal("100.00"), 3) == [Decimal("33.33")] * 2 + [Decimal("33.34")]
    assert sum(split_amount(Decimal("47.11"), 12)) == Decimal("47.11")
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 2) == datetime.date(2027, 1, 15)


def test_the_customer_asks_for_instalments_through_the_form(ana_client, unpaid):
    html = ana_client.get(reverse("billing:invoice", args=[unpaid.number])).content.decode()
    url = reverse("payments:instalments", args=[unpaid.number])
    assert f'href="{url}">Pedir pagamento em prestações</a>' in html
    too_many = ask(ana_client, unpaid, instalments="13")
    assert too_many.status_code == 200
    assert 'aria-invalid="true"' in too_many.content.decode()
    response = ask(ana_client, unpaid, instalments="4")
    service_request = ServiceRequest.objects.get()
    assert response.url == reverse("service_requests:detail", args=[service_request.number])
    assert service_request.request_type == RequestType.INSTALMENTS
    assert (service_request.invoice, service_request.payload) == (unpaid, {"instalments": 4})
    html = ana_client.get(reverse("billing:invoice", args=[unpaid.number])).content.decode()
    assert "O seu pedido de pagamento em prestações" in html and "está em análise" in html
    assert "Pedir pagamento em prestações</a>" not in html
    # Not offered in "Novo pedido": it is about an invoice.
    assert ana_client.get("/pedidos/novo/instalments/").status_code == 404


def test_accepted_plan_shows_instalments_with_references_and_reminders_follow_them(
    client, ana, clerk, unpaid, django_capture_on_commit_callbacks
):
    client.force_login(ana)
    ask(client, unpaid)
    service_request = ServiceRequest.objects.get()
    client.force_login(clerk)
    first_due = datetime.date.today() + 10 * DAY
    response = accept(client, service_request, 3, first_due)
    assert response.status_code == 302, response.content.decode()
    plan = PaymentPlan.objects.get()
    service_request.refresh_from_db()
    assert (service_request.status, service_request.outcome) == ("closed", "accepted")
    instalments = list(plan.instalments.all())
    assert [i.due_date for i in instalments] == [add_months(first_due, n) for n in range(3)]
    assert sum(i.amount for i in instalments) == unpaid.gross_total
    # The resolution the customer reads writes the amounts in Portuguese (decimal comma).
    assert f"1.ª de {format_euros(instalments[0].amount)} até" in service_request.resolution
    assert f"{instalments[0].amount} €" not in service_request.resolution
    # out of the invoice's own reminders and warnings, and of a debit of its whole amount
    assert not not_in_payment_plan(Invoice.objects.filter(pk=unpaid.pk)).exists()
    # accepting twice (a double click) grants nothing more
    accept(client, service_request, 3, first_due)
    assert Instalment.objects.count() == 3

    client.force_login(ana)
    html = client.get(reverse("billing:invoice", args=[unpaid.number])).content.decode()
    first = instalments[0]
    reference = multibanco_reference(
        entity="90150", sub_entity="123", document_id=unpaid.sequence, amount=first.amount
    )
    assert "Pagamento em prestações" in html
    assert reference.formatted_reference in html
    assert "Se a fatura não for paga" not in html  # the instalments replace the timeline

    # reminders: none for the invoice, one for the first instalment 8 days after its date
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "send_payment_reminders", date=(first.due_date + 8 * DAY).isoformat(), stdout=None
        )
    [notice] = DunningNotice.objects.all()
    assert notice.instalment == first and notice.amount == first.amount
    [message] = mail.outbox
    assert "1.ª prestação" in message.body
    # the page says so on that instalment only, and still shows no timeline of the invoice
    html = client.get(reverse("billing:invoice", args=[unpaid.number])).content.decode()
    assert html.count("lembrete enviado em") == 1
    assert f"(lembrete enviado em {notice.sent_on:%d/%m/%Y})" in html
    assert "Se a fatura não for paga" not in html

    # paying: the invoice is paid by the last instalment
    for instalment in instalments:
        pay_instalment(instalment, source="Ficheiro SIBS teste", transaction_id=f"T{instalment.pk}")
    unpaid.refresh_from_db()
    assert unpaid.status == Invoice.Status.PAID
    assert all(i.is_paid for i in Instalment.objects.all())
