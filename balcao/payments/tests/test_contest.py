""" "Reclamar desta fatura": a Reclamação about the invoice, made through the requests' own
form and service; while it is open the invoice gets no reminder, no warning and is out of
the direct-debit file; the clerk answers with a credit note or a rejection with its reason."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from balcao.billing.models import Invoice
from balcao.payments.holds import not_on_hold
from balcao.payments.models import DunningNotice
from balcao.payments.services.dunning import invoices_due_a_reminder, invoices_due_a_warning
from balcao.service_requests.models import RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def contest(client, invoice, **data):
    url = reverse("payments:contest", args=[invoice.number])
    return client.post(
        url,
        {
            "contract": invoice.contract.contract_number,
            "description": "O consumo de setembro está errado: estive fora.",
            "channel": "email",
            "contact_value": "ana.silva@example.pt",
            **data,
        },
    )


def action(client, service_request, slug, data):
    url = reverse("admin:service_requests_servicerequest_action", args=[service_request.pk, slug])
    return client.post(url, data)


def test_the_invoice_page_offers_the_complaint_and_its_form_is_prefilled(ana_client, unpaid):
    html = ana_client.get(reverse("billing:invoice", args=[unpaid.number])).content.decode()
    url = reverse("payments:contest", args=[unpaid.number])
    assert f'href="{url}">Reclamar desta fatura</a>' in html
    form = ana_client.get(url).content.decode()
    assert f"Reclamar da fatura {unpaid.number}" in form
    assert f"Reclamo da fatura {unpaid.number}, de 01/10/2026: " in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert "ana.silva@example.pt" in form  # the profile's contact, as in "Novo pedido"


def test_an_open_complaint_holds_the_invoice_out_of_reminders_warnings_and_debit(
    client, ana, unpaid, on_day
):
    later = unpaid.due_date + 40 * DAY
    on_day(later)
    client.force_login(ana)
    ana_client = client
    response = contest(ana_client, unpaid)
    complaint = ServiceRequest.objects.get()
    assert response.url == reverse("service_requests:detail", args=[complaint.number])
    assert (complaint.request_type, complaint.invoice) == (RequestType.COMPLAINT, unpaid)
    invoice_url = reverse("billing:invoice", args=[unpaid.number])
    assert (
        f'<a href="{invoice_url}">{unpaid.number}</a>'
        in ana_client.get(response.url).content.decode()
    )
    invoices = Invoice.objects.filter(pk=unpaid.pk)
    assert not not_on_hold(invoices).exists()  # the debit file's filter

    assert not invoices_due_a_reminder(later).exists()
    assert not invoices_due_a_warning(later).exists()
    call_command("send_payment_reminders", date=later.isoformat(), stdout=None)
    assert not DunningNotice.objects.exists()

    html = ana_client.get(reverse("billing:invoice", args=[unpaid.number])).content.decode()
    assert f"pedido n.º {complaint.number}</a>) está em análise" in html
    assert "Se a fatura não for paga" not in html  # no timeline while held
    assert "Reclamar desta fatura" not in html  # one open complaint at a time
    # a second complaint of the same invoice is refused, next to the form
    second = contest(ana_client, unpaid)
    assert second.status_code == 200
    assert "Já tem uma reclamação desta fatura em análise" in second.content.decode()


def test_a_rejected_complaint_releases_the_invoice_and_the_page_says_it_was_answered(
    client, ana, clerk, unpaid
):
    client.force_login(ana)
    contest(client, unpaid)
    complaint = ServiceRequest.objects.get()
    client.force_login(clerk)
    change = client.get(
        reverse("admin:service_requests_servicerequest_change", args=[complaint.pk])
    ).content.decode()
    assert unpaid.number in change and "Rejeitar" in change
    assert "Corrigir a fatura (nota de crédito)" in change
    action(client, complaint, "rejeitar", {"reason": "O consumo foi lido no contador a 30/09."})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("closed", "rejected")
    assert not_on_hold(Invoice.objects.filter(pk=unpaid.pk)).exists()
    assert invoices_due_a_reminder(unpaid.due_date + 8 * DAY).exists()

    client.force_login(ana)
    html = client.get(reverse("billing:invoice", args=[unpaid.number])).content.decode()
    assert f"pedido n.º {complaint.number}</a>) foi respondida: Rejeitado" in html


def test_a_complaint_found_right_is_answered_with_a_credit_note(client, ana, billing_clerk, unpaid):
    client.force_login(ana)
    contest(client, unpaid)
    complaint = ServiceRequest.objects.get()
    client.force_login(billing_clerk)
    response = action(
        client, complaint, "nota-de-credito", {"reason": "Consumo estimado em excesso."}
    )
    assert response.status_code == 302
    unpaid.refresh_from_db()
    assert unpaid.status == Invoice.Status.CANCELLED
    note = unpaid.credit_notes.get()
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == ("closed", "answered")
    assert note.number in complaint.resolution


def test_only_faturacao_corrects_an_invoice_from_a_complaint(client, ana, clerk, unpaid):
    client.force_login(ana)
    contest(client, unpaid)
    complaint = ServiceRequest.objects.get()
    client.force_login(clerk)  # Atendimento only
    response = action(client, complaint, "nota-de-credito", {"reason": "Erro."})
    assert "Só a Faturação pode corrigir" in response.content.decode()
    unpaid.refresh_from_db()
    assert unpaid.status == Invoice.Status.ISSUED
