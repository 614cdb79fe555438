"""A payment plan's equal instalments share one Multibanco reference and are paid in order:
a file (or files) with several payments of that reference pays instalment 1, then 2, then
3, and a payment beyond the last open one waits for a clerk as "Fatura já paga"."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from balcao.billing.models import Invoice
from balcao.billing.tests.factories import issue_month_invoice
from balcao.payments.models import Instalment, MultibancoLine, Receipt
from balcao.payments.services import multibanco_import
from balcao.payments.services.plans import (
    instalment_reference,
    pay_instalment,
)
from balcao.payments.tests.factories import plan_in_instalments
from balcao.payments.tests.multibanco_files import line, notification

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime.date(2026, 9, 1)
QUEUE = "/admin/payments/pendingmultibancoline/"


@pytest.fixture
def equal_plan(ana, clerk):
    """Ana's September invoice (23,22 €) in 3 equal instalments of 7,74 €: one reference."""
    casa = ana.subscriptions.get(custom_name="Casa").contract
    invoice = issue_month_invoice(casa, SEPTEMBER, volume="8")
    instalments = plan_in_instalments(invoice, ana, clerk)
    assert len({i.amount for i in instalments}) == 1
    return invoice, instalments


def paying_instalment(invoice, instalment, tid: str) -> str:
    reference = instalment_reference(invoice, instalment.amount).reference
    return line(reference=reference, amount=instalment.amount, tid=tid)


def import_file(tmp_path, *lines: str, name="SIBS-20261120.csv") -> str:
    path = tmp_path / name
    path.write_bytes(notification(*lines))
    out = io.StringIO()
    call_command("import_payments", str(path), stdout=out)
    return out.getvalue()


def paid_by(instalment: Instalment) -> str | None:
    """The transaction id of the payment that paid the instalment, if any."""
    instalment.refresh_from_db()
    if instalment.receipt_line is None:
        return None
    return instalment.receipt_line.receipt.payment.transaction_id


def queued(tid: str) -> tuple[str, str, str]:
    found = MultibancoLine.objects.get(transaction_id=tid)
    return found.status, found.reason, found.detail


def instalment_rows(html: str) -> dict[int, str]:
    """The invoice page's instalments table: each row's text by the instalment's number."""
    rows = re.findall(r'<th scope="row"[^>]*>(\d+)\.ª</th>(.*?)</tr>', html, re.S)
    return {int(number): cells for number, cells in rows}


def test_two_payments_of_one_reference_pay_instalments_1_and_2_and_the_page_offers_3(
    tmp_path, equal_plan, ana_client
):
    invoice, (first, second, third) = equal_plan

    output = import_file(
        tmp_path,
        paying_instalment(invoice, first, "TID-1"),
        paying_instalment(invoice, first, "TID-2"),
    )

    assert "2 linhas lidas, 2 conciliadas, 0 por conciliar, 0 já importadas" in output
    assert [paid_by(i) for i in (first, second, third)] == ["TID-1", "TID-2", None]
    assert list(Receipt.objects.order_by("sequence").values_list("number", "gross_total")) == [
        ("RG 2026A/1", first.amount),
        ("RG 2026A/2", second.amount),
    ]
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    html = ana_client.get(reverse("billing:invoice", args=[invoice.number])).content.decode()
    rows = instalment_rows(html)
    shown = instalment_reference(invoice, third.amount).formatted_reference
    assert "Paga" in rows[1] and "Paga" in rows[2]
    assert shown in rows[3] and "Por pagar" in rows[3]
    assert html.count(shown) == 1


def test_four_payments_of_three_instalments_pay_them_and_queue_the_fourth_once(
    tmp_path, equal_plan, client, django_user_model
):
    invoice, instalments = equal_plan
    tids = ["TID-1", "TID-2", "TID-3", "TID-4"]
    lines = [paying_instalment(invoice, instalments[0], tid) for tid in tids]

    output = import_file(tmp_path, *lines)

    assert "4 linhas lidas, 3 conciliadas, 1 por conciliar, 0 já importadas" in output
    assert [paid_by(i) for i in instalments] == tids[:3]
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert queued("TID-4") == (
        "queued",
        "paid",
        "A última prestação deste montante por pagar foi paga por uma linha anterior deste "
        "ficheiro.",
    )
    assert MultibancoLine.objects.get(transaction_id="TID-4").invoice == invoice
    # The clerk finds it in the queue, with why.
    clerk = django_user_model.objects.create_user(
        username="faturacao", password="x", is_superuser=True, is_staff=True
    )
    client.force_login(clerk)
    page = client.get(QUEUE).content.decode()
    assert "Fatura já paga" in page and page.count(">Conciliar</a>") == 1

    # The same file again: refused whole, nothing changes.
    again = import_file(tmp_path, *lines)

    assert "Nada mudou" in again
    assert Receipt.objects.count() == 3 and MultibancoLine.objects.count() == 4
    assert [paid_by(i) for i in instalments] == tids[:3]


def test_a_file_in_parts_pays_the_next_instalment_each_time(tmp_path, equal_plan):
    invoice, (first, second, third) = equal_plan

    import_file(tmp_path, paying_instalment(invoice, first, "TID-1"), name="SIBS-1.csv")
    import_file(tmp_path, paying_instalment(invoice, first, "TID-2"), name="SIBS-2.csv")

    assert [paid_by(i) for i in (first, second, third)] == ["TID-1", "TID-2", None]

    output = import_file(
        tmp_path,
        paying_instalment(invoice, first, "TID-3"),
        paying_instalment(invoice, first, "TID-4"),
        name="SIBS-3.csv",
    )

    assert "2 linhas lidas, 1 conciliadas, 1 por conciliar" in output
    assert paid_by(third) == "TID-3"
    assert queued("TID-4")[:2] == ("queued", "paid")
    # A payment of it in a later file: all its instalments were paid before.
    import_file(tmp_path, paying_instalment(invoice, first, "TID-5"), name="SIBS-4.csv")
    assert queued("TID-5") == ("queued", "paid", "As prestações deste montante já estavam pagas.")
    assert MultibancoLine.objects.get(transaction_id="TID-5").invoice == invoice


def test_an_instalment_paid_at_the_counter_during_the_import_is_not_paid_again(
    tmp_path, monkeypatch, ana, clerk
):
    """The counter pays instalment 1 after the import read the open instalments and before
    it locks the invoice: the file's payments pay the next open ones of that amount, and a
    payment with none of its amount left open waits for a clerk."""
    casa = ana.subscriptions.get(custom_name="Casa").contract
    invoice = issue_month_invoice(casa, SEPTEMBER)  # 26,74 €: 8,91 + 8,91 + 8,92
    first, second, third = plan_in_instalments(invoice, ana, clerk)
    assert first.amount == second.amount != third.amount
    build = multibanco_import.PayableIndex.build

    def build_then_counter_pays():
        index = build()
        pay_instalment(first, method="cash", source="Balcão", transaction_id="COUNTER")
        return index

    monkeypatch.setattr(multibanco_import.PayableIndex, "build", build_then_counter_pays)

    output = import_file(
        tmp_path,
        paying_instalment(invoice, first, "TID-1"),
        paying_instalment(invoice, first, "TID-2"),
    )

    assert "2 linhas lidas, 1 conciliadas, 1 por conciliar" in output
    assert [paid_by(i) for i in (first, second, third)] == ["COUNTER", "TID-1", None]
    assert queued("TID-2") == (
        "queued",
        "paid",
        "A fatura mudou durante a importação: a prestação deste montante já está paga",
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert Receipt.objects.count() == 2
