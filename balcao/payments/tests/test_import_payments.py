"""``manage.py import_payments FILE``: a Multibanco file matched against the open invoices,
every line kept (matched, or queued with its reason), a file imported once."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from balcao.billing.models import Invoice, InvoiceSeries
from balcao.billing.services.invoices import series_for
from balcao.billing.tests.factories import issue_month_invoice
from balcao.payments.models import MultibancoFile, MultibancoLine, Payment, Receipt
from balcao.payments.services.receipts import register_payment, settle_in_full
from balcao.payments.tests.multibanco_files import line, nobodys_reference, notification, paying

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


def import_file(tmp_path, data: bytes, name="SIBS-20261120.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_payments", str(path), stdout=out)
    return out.getvalue()


def outcome(number: int) -> tuple[str, str]:
    found = MultibancoLine.objects.get(line_number=number)
    return found.status, found.reason


def test_a_line_that_pays_an_open_invoice_registers_the_payment_and_its_receipt(tmp_path, casa):
    invoice = issue_month_invoice(casa, SEPTEMBER)
    paid_line = paying(invoice, tid="20261120MB0000042", paid_at="2026-11-20 09:15:00")

    output = import_file(tmp_path, notification(paid_line))

    assert "1 linhas lidas, 1 conciliadas, 0 por conciliar, 0 já importadas" in output
    assert "[##############################] 1/1" in output  # the progress bar
    payment = Payment.objects.get()
    assert (payment.method, payment.transaction_id, payment.amount) == (
        "multibanco",
        "20261120MB0000042",
        invoice.gross_total,
    )
    assert payment.paid_at == datetime.datetime(2026, 11, 20, 9, 15, tzinfo=datetime.UTC)
    assert payment.source == "Multibanco: SIBS-20261120.csv, linha 2"
    assert payment.receipt.number == "RG 2026A/1"
    assert [rl.invoice for rl in payment.receipt.lines.all()] == [invoice]
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert invoice.events.last().note == "RG 2026A/1"
    stored = MultibancoLine.objects.get()
    assert (stored.status, stored.payment, stored.invoice) == ("matched", payment, invoice)
    mb_file = MultibancoFile.objects.get()
    assert (mb_file.status, mb_file.lines_read, mb_file.matched, mb_file.queued) == (
        "done",
        1,
        1,
        0,
    )
    assert [e.kind for e in mb_file.events.order_by("pk")] == ["queued", "running", "done"]
    assert mb_file.content.read().startswith(b"entity;reference;amount")


def test_every_mismatch_is_kept_in_the_queue_with_its_reason(tmp_path, casa, bruno):
    paid = issue_month_invoice(casa, datetime.date(2026, 8, 1), volume="7")
    september = issue_month_invoice(casa, SEPTEMBER)
    paid_line = paying(paid)  # its reference, while it was still open
    register_payment(
        account=paid.account,
        method="cash",
        paid_at=timezone.now(),
        amount=paid.gross_total,
        allocations=settle_in_full([paid]),
        source="Balcão",
    )
    # Two open invoices with one reference and amount: the same last 4 digits of their
    # numbers (2 and 10 002) and the same total (10 m³ in September, like ana's).
    bruno_casa = bruno.subscriptions.get().contract
    InvoiceSeries.objects.filter(pk=series_for("FT").pk).update(last_number=10_001)
    twin = issue_month_invoice(bruno_casa, SEPTEMBER)
    assert twin.sequence % 10_000 == september.sequence and twin.gross_total == (
        september.gross_total
    )
    october = issue_month_invoice(casa, OCTOBER, volume="14")
    # The ambiguous pair pays nothing; October is paid twice in this file.
    lines = [
        paying(october, amount=october.gross_total - 1),  # 2 other amount
        paying(october),  # 3 matched
        paying(september),  # 4 ambiguous
        paid_line,  # 5 paid before
        paying(october, tid="20261120MB9999999"),  # 6 paid by line 3
        line(
            reference=nobodys_reference("12.34"), amount="12.34"
        ),  # 7 a well-formed reference: no invoice
        line(reference=nobodys_reference("12.35"), amount="12.34"),  # 8 check digits wrong
        line(entity="11111", reference="123777723", amount="12.34"),  # 9 another entity
        line(reference="12345", amount="12.34"),  # 10 not 9 digits
        "90150;123777723;12.3.4;2026-11-20 10:00:00;T1;20261120MBX1",  # 11 amount
        "90150;123777723;12,34;20/11/2026;T1;20261120MBX2",  # 12 date
        "90150;123777723;12,34",  # 13 fields missing
        "90150;123777723;12,34;2026-11-20 10:00:00;T1;",  # 14 no transaction id
    ]

    output = import_file(tmp_path, notification(*lines))

    assert "13 linhas lidas, 1 conciliadas, 12 por conciliar, 0 já importadas" in output
    assert "Pagamentos por conciliar" in output
    assert outcome(2) == ("queued", "other_amount")
    assert outcome(3) == ("matched", "")
    assert outcome(4) == ("queued", "ambiguous")
    assert outcome(5) == ("queued", "paid")
    assert outcome(6) == ("queued", "paid")
    assert outcome(7) == ("queued", "no_match")
    for number in range(8, 15):
        assert outcome(number) == ("queued", "invalid"), number
    # What the clerk starts from: the account and invoice the reference names.
    other = MultibancoLine.objects.get(line_number=2)
    assert (other.invoice, other.account) == (october, casa.account)
    assert other.detail == "A referência é de {} €; foram pagos {} €.".format(
        *(
            f"{amount:.2f}".replace(".", ",")
            for amount in (october.gross_total, october.gross_total - 1)
        )
    )
    assert MultibancoLine.objects.get(line_number=5).invoice == paid
    assert "não correspondem ao montante" in MultibancoLine.objects.get(line_number=8).detail
    assert "Entidade 11111" in MultibancoLine.objects.get(line_number=9).detail
    assert MultibancoLine.objects.get(line_number=13).raw == "90150;123777723;12,34"
    # Nothing paid but October, once.
    assert Payment.objects.filter(method="multibanco").count() == 1
    for invoice in (september, twin):
        invoice.refresh_from_db()
        assert invoice.status == Invoice.Status.ISSUED


def test_importing_the_same_file_twice_changes_nothing(tmp_path, casa):
    invoice = issue_month_invoice(casa, SEPTEMBER)
    data = notification(paying(invoice), line(reference=nobodys_reference(), amount="12.34"))
    import_file(tmp_path, data)
    before = (Payment.objects.count(), Receipt.objects.count(), MultibancoLine.objects.count())

    output = import_file(tmp_path, data, name="outra-vez.csv")

    assert "já importado em" in output and "Nada mudou" in output
    assert MultibancoFile.objects.count() == 1
    assert (Payment.objects.count(), Receipt.objects.count(), MultibancoLine.objects.count()) == (
        before
    )


def test_lines_of_another_file_already_imported_are_counted_not_paid_again(tmp_path, casa):
    september = issue_month_invoice(casa, SEPTEMBER)
    october = issue_month_invoice(casa, OCTOBER)
    first = paying(september)
    import_file(tmp_path, notification(first), name="manha.csv")

    output = import_file(tmp_path, notification(first, paying(october)), name="dia.csv")

    assert "2 linhas lidas, 1 conciliadas, 0 por conciliar, 1 já importadas" in output
    assert Payment.objects.count() == 2
    assert MultibancoLine.objects.count() == 2
    assert MultibancoFile.objects.get(name="dia.csv").already_imported == 1


def test_a_file_that_is_not_a_multibanco_file_is_refused_whole(tmp_path, casa):
    with pytest.raises(CommandError, match="não é um ficheiro Multibanco"):
        import_file(tmp_path, b"Data;Valor\n2026-11-20;12,34\n")
    assert not MultibancoFile.objects.exists()


def test_receipt_numbers_stay_gapless_around_an_import(tmp_path, casa):
    invoices = [issue_month_invoice(casa, datetime.date(2026, month, 1)) for month in (7, 8, 9)]
    register_payment(
        account=casa.account,
        method="cash",
        paid_at=timezone.now(),
        amount=invoices[0].gross_total,
        allocations=settle_in_full([invoices[0]]),
        source="Balcão",
    )
    import_file(tmp_path, notification(paying(invoices[1]), paying(invoices[2], comma=False)))
    tail = issue_month_invoice(casa, OCTOBER)
    register_payment(
        account=casa.account,
        method="cash",
        paid_at=timezone.now(),
        amount=tail.gross_total,
        allocations=settle_in_full([tail]),
        source="Balcão",
    )
    assert list(Receipt.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert InvoiceSeries.objects.get(document_type="RG").last_number == 4


def test_a_part_paid_invoice_is_not_paid_twice(tmp_path, casa):
    invoice = issue_month_invoice(casa, SEPTEMBER)
    from balcao.payments.services.receipts import Allocation

    register_payment(
        account=casa.account,
        method="transfer",
        paid_at=timezone.now(),
        amount=Decimal("5.00"),
        allocations=[Allocation(invoice, Decimal("5.00"))],
        source="Balcão",
    )
    import_file(tmp_path, notification(paying(invoice)))
    assert outcome(2) == ("queued", "other_amount")
    assert "falta pagar" in MultibancoLine.objects.get().detail


def test_a_file_that_fails_midway_leaves_nothing_and_can_be_imported_again(
    tmp_path, casa, monkeypatch
):
    from balcao.payments.services import multibanco_import

    invoice = issue_month_invoice(casa, SEPTEMBER)
    data = notification(paying(invoice))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The payments and receipts are written; the lines fail: all of it is taken back.
    monkeypatch.setattr(multibanco_import, "insert_values", broken)
    with pytest.raises(RuntimeError):
        import_file(tmp_path, data)
    failed = MultibancoFile.objects.get()
    assert (failed.status, failed.error) == ("failed", "disk full")
    assert not Payment.objects.exists() and not Receipt.objects.exists()
    assert not MultibancoLine.objects.exists()
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED

    monkeypatch.undo()
    output = import_file(tmp_path, data)

    assert "1 linhas lidas, 1 conciliadas" in output
    assert Receipt.objects.get().number == "RG 2026A/1"  # no number lost to the failure


def test_a_line_pays_the_earliest_open_instalment_of_a_plan_and_not_the_whole_invoice(
    tmp_path, casa, ana, clerk
):
    """An invoice split in instalments is paid by the instalments' references (the page
    shows them); its own reference, for the whole amount, no longer pays it."""
    from balcao.payments.models import Instalment
    from balcao.payments.services.plans import instalment_reference
    from balcao.payments.tests.factories import plan_in_instalments

    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    whole = paying(invoice)  # the invoice's own reference, read before the plan
    first, second, third = plan_in_instalments(invoice, ana, clerk)
    reference = instalment_reference(invoice, first.amount).reference
    import_file(tmp_path, notification(whole, line(reference=reference, amount=first.amount)))
    assert outcome(2)[0] == "queued"  # line 1 is the header
    assert outcome(3) == ("matched", "")
    first.refresh_from_db()
    assert first.is_paid and not Instalment.objects.get(pk=second.pk).is_paid
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    # The two others, in a second file: the invoice is paid with the last one.
    rest = [
        line(reference=instalment_reference(invoice, i.amount).reference, amount=i.amount)
        for i in (second, third)
    ]
    import_file(tmp_path, notification(rest[0]), name="SIBS-2.csv")
    import_file(tmp_path, notification(rest[1]), name="SIBS-3.csv")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert all(i.is_paid for i in Instalment.objects.filter(plan__invoice=invoice))
