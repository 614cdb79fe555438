"""The back office of Multibanco files for group Faturação: the upload imported in the
background with its progress page, and the queue "Pagamentos por conciliar" (match by hand,
refund); Atendimento reads but imports and resolves nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.models import Invoice
from balcao.billing.tests.factories import issue_month_invoice
from balcao.payments.models import MultibancoFile, MultibancoLine, Payment
from balcao.payments.tests.multibanco_files import (
    line,
    nobodys_reference,
    notification,
    paying,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/payments/pendingmultibancoline/"


@pytest.fixture
def billing_clerk(client):
    user = UserFactory(username="faturacao", is_staff=True)
    user.groups.add(Group.objects.get(name="Faturação"))
    client.force_login(user)
    return user


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def imported(tmp_path, *lines) -> MultibancoFile:
    path = tmp_path / "SIBS.csv"
    path.write_bytes(notification(*lines))
    call_command("import_payments", str(path), stdout=io.StringIO())
    return MultibancoFile.objects.get()


def upload(client, data: bytes, name="SIBS-20261120.csv"):
    return client.post(
        "/admin/payments/multibancofile/add/",
        {"upload": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_a_faturacao_clerk_uploads_a_file_and_follows_its_import(
    client, billing_clerk, casa, django_capture_on_commit_callbacks
):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    data = notification(paying(invoice), line(reference=nobodys_reference(), amount="12.34"))

    with django_capture_on_commit_callbacks(execute=True):  # the task, after commit
        response = upload(client, data)

    mb_file = MultibancoFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/payments/multibancofile/{mb_file.pk}/change/"
    # the demo and the tests run tasks at once: it is done
    assert (mb_file.status, mb_file.lines_read, mb_file.matched, mb_file.queued) == (
        "done",
        2,
        1,
        1,
    )
    assert mb_file.imported_by == billing_clerk
    assert Payment.objects.get().created_by == billing_clerk
    page = client.get(response["Location"]).content.decode()
    assert "2 linhas lidas (Importado)." in page
    assert f'href="{QUEUE}?file__id__exact={mb_file.pk}">1 linhas por conciliar</a>' in page

    again = upload(client, data, name="de-novo.csv")

    assert again.status_code == 200
    assert "Este ficheiro já foi importado em" in again.content.decode()
    assert MultibancoFile.objects.count() == 1


def test_a_file_of_another_kind_is_refused_next_to_the_field(client, billing_clerk):
    response = upload(client, b"Data;Valor\n2026-11-20;12,34\n", name="extrato.csv")
    assert response.status_code == 200
    assert "não é um ficheiro de pagamentos Multibanco" in response.content.decode()
    assert not MultibancoFile.objects.exists()


def test_the_queue_lists_the_lines_to_reconcile_with_their_reason(
    tmp_path, client, billing_clerk, casa
):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    imported(
        tmp_path,
        paying(invoice),
        paying(invoice, amount=invoice.gross_total + 1),
        line(reference=nobodys_reference(), amount="12.34"),
    )

    page = client.get(QUEUE).content.decode()

    assert "Pagamentos por conciliar" in page
    assert "Montante diferente do da fatura" in page
    assert "Sem fatura correspondente" in page
    assert "Conciliado" not in page  # the matched line is not in the queue
    assert page.count(">Conciliar</a>") == 2


def test_a_clerk_matches_a_line_by_hand_to_the_accounts_open_invoice(
    tmp_path, client, billing_clerk, casa
):
    september = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    october = issue_month_invoice(casa, datetime.date(2026, 10, 1))
    # The customer paid September with a reference they typed wrong: it names nobody.
    imported(tmp_path, line(reference=nobodys_reference(), amount=september.gross_total))
    queued = MultibancoLine.objects.get()
    url = f"{QUEUE}{queued.pk}/conciliar/"

    found = client.get(url, {"conta": casa.account.account_number})

    html = found.content.decode()
    assert september.number in html and october.number in html
    response = client.post(
        f"{url}?conta={casa.account.account_number}", {"invoices": [september.pk]}
    )

    assert response.status_code == 302
    payment = Payment.objects.get()
    assert messages_of(response) == [
        f"Pagamento registado na conta {casa.account.account_number}: "
        f"recibo {payment.receipt.number}."
    ]
    queued.refresh_from_db()
    assert (queued.status, queued.payment, queued.invoice) == (
        "matched_by_hand",
        payment,
        september,
    )
    event = queued.events.get()
    assert (event.kind, event.actor, event.note) == (
        "matched_by_hand",
        billing_clerk,
        payment.receipt.number,
    )
    assert (payment.method, payment.transaction_id, payment.created_by) == (
        "multibanco",
        queued.transaction_id,
        billing_clerk,
    )
    september.refresh_from_db()
    assert september.status == Invoice.Status.PAID
    assert client.get(QUEUE).content.decode().count(">Conciliar</a>") == 0
    # Resolved once: the page is gone for it.
    assert client.get(url).status_code == 404


def test_more_money_than_the_invoices_chosen_owe_is_refused(tmp_path, client, billing_clerk, casa):
    september = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    imported(tmp_path, line(reference=nobodys_reference(), amount=september.gross_total + 5))
    queued = MultibancoLine.objects.get()

    response = client.post(
        f"{QUEUE}{queued.pk}/conciliar/?conta={casa.account.account_number}",
        {"invoices": [september.pk]},
    )

    assert response.status_code == 200
    assert "escolha mais faturas ou reembolse" in response.content.decode()
    assert not Payment.objects.exists()


def test_the_account_the_reference_names_is_offered_first(tmp_path, client, billing_clerk, casa):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    imported(tmp_path, paying(invoice, amount=invoice.gross_total - Decimal("0.50")))
    queued = MultibancoLine.objects.get()

    page = client.get(f"{QUEUE}{queued.pk}/conciliar/").content.decode()

    assert f'value="{casa.account.account_number}"' in page
    assert invoice.number in page


def test_an_unknown_account_is_said_next_to_the_field(tmp_path, client, billing_clerk, casa):
    imported(tmp_path, line(reference=nobodys_reference(), amount="12.34"))
    queued = MultibancoLine.objects.get()
    page = client.get(f"{QUEUE}{queued.pk}/conciliar/", {"conta": "999999"}).content.decode()
    assert "Não há nenhuma conta de faturação com o número 999999." in page


def test_a_clerk_refunds_a_line_with_a_note(tmp_path, client, billing_clerk, casa):
    imported(tmp_path, line(reference=nobodys_reference(), amount="12.34"))
    queued = MultibancoLine.objects.get()
    url = f"{QUEUE}{queued.pk}/reembolsar/"

    empty = client.post(url, {"note": ""})
    assert empty.status_code == 200
    assert "Este campo é obrigatório." in empty.content.decode()

    response = client.post(url, {"note": "Transferência de 12,34 € para o IBAN do pagador."})

    assert response.status_code == 302
    assert messages_of(response) == ["Linha 2 de SIBS.csv marcada como reembolsada."]
    queued.refresh_from_db()
    assert queued.status == "refunded" and queued.payment is None
    event = queued.events.get()
    assert (event.kind, event.actor, event.note) == (
        "refunded",
        billing_clerk,
        "Transferência de 12,34 € para o IBAN do pagador.",
    )
    assert not Payment.objects.exists()


def test_the_list_actions_open_the_page_of_the_line_chosen(tmp_path, client, billing_clerk, casa):
    imported(tmp_path, line(reference=nobodys_reference(), amount="12.34"))
    queued = MultibancoLine.objects.get()
    for action, page in (("match_lines", "conciliar"), ("refund_lines", "reembolsar")):
        response = client.post(QUEUE, {"action": action, "_selected_action": [queued.pk]})
        assert response["Location"] == f"{QUEUE}{queued.pk}/{page}/"


def test_atendimento_reads_the_queue_but_cannot_import_or_resolve(tmp_path, clerk_client, casa):
    imported(tmp_path, line(reference=nobodys_reference(), amount="12.34"))
    queued = MultibancoLine.objects.get()

    assert clerk_client.get(QUEUE).status_code == 200
    assert clerk_client.get("/admin/payments/multibancofile/add/").status_code == 403
    assert upload(clerk_client, notification()).status_code == 403
    assert clerk_client.get(f"{QUEUE}{queued.pk}/conciliar/").status_code == 403
    refused = clerk_client.post(f"{QUEUE}{queued.pk}/reembolsar/", {"note": "Devolvido."})
    assert refused.status_code == 403
    queued.refresh_from_db()
    assert queued.status == "queued"
    assert MultibancoFile.objects.count() == 1
