"""The bank's answers through ``manage.py import_sepa_returns FILE``: returned debits (every
common R-transaction reason code) put the right invoice back to "Por pagar" with its
Multibanco reference and a new due date and tell the customer at once (e-mail, notice on
Início); settled debits issue their receipts; the same file twice changes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from balcao.billing.documents import invoice_multibanco_reference
from balcao.billing.models import Invoice
from balcao.billing.services import create_mandate
from balcao.billing.tests.factories import issue_month_invoice
from balcao.notices.models import Notice
from balcao.payments.bank_files import (
    REASONS,
    BankOutcome,
    camt054_notification,
    pain002_report,
)
from balcao.payments.models import (
    BankReturnFile,
    DirectDebitCollection,
    Payment,
    PaymentMethod,
    Receipt,
)
from balcao.payments.services.bank_returns import RETURN_GRACE_DAYS
from balcao.payments.services.direct_debit import collect_due_invoices
from balcao.payments.tests.bank_answers import collected, outcome

pytestmark = pytest.mark.django_db

CODES = ["AM04", "MD01", "AC04", "MS02", "AC01", "AC06", "AG01", "MD06", "MS03", "SL01"]


def import_file(tmp_path, content, name="retorno.xml"):
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    call_command("import_sepa_returns", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_every_reason_code_returns_the_right_invoice_and_alerts_the_customer(
    tmp_path, loja, ana, client, django_capture_on_commit_callbacks
):
    assert set(CODES) <= set(REASONS)
    invoices = collected(loja, range(1, len(CODES) + 1))
    # Half the codes come in a pain.002 status report, half in a camt.054 notification.
    half = len(CODES) // 2
    pain = pain002_report(
        message_id="RPT-1",
        original_message_id="X",
        outcomes=[outcome(i, code=c) for i, c in zip(invoices[:half], CODES[:half], strict=True)],
    )
    camt = camt054_notification(
        message_id="NTF-1",
        iban="PT50003506510000000000158",
        outcomes=[outcome(i, code=c) for i, c in zip(invoices[half:], CODES[half:], strict=True)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = import_file(tmp_path, pain, "pain002.xml")
    with django_capture_on_commit_callbacks(execute=True):
        second = import_file(tmp_path, camt, "camt054.xml")
    assert f"{half} devolvidos" in first
    assert f"{len(CODES) - half} devolvidos" in second

    today = timezone.localdate()
    for invoice, code in zip(invoices, CODES, strict=True):
        collection = DirectDebitCollection.objects.get(invoice=invoice)
        assert collection.status == DirectDebitCollection.Status.RETURNED
        assert collection.reason_code == code
        assert collection.new_due_date == max(invoice.due_date, today) + datetime.timedelta(
            days=RETURN_GRACE_DAYS
        )
        invoice.refresh_from_db()
        assert invoice.status == Invoice.Status.ISSUED
    # One e-mail and one notice for the contract per returned debit, saying why and how to pay.
    assert len(mail.outbox) == len(CODES)
    subjects = {message.subject for message in mail.outbox}
    assert subjects == {f"O débito direto da fatura {i.number} foi devolvido" for i in invoices}
    am04 = next(m for m in mail.outbox if invoices[0].number in m.subject)
    reference = invoice_multibanco_reference(invoices[0])
    assert am04.to == ["ana.silva@example.pt"]
    assert "saldo insuficiente" in am04.body
    assert reference.formatted_reference in am04.body
    notices = Notice.objects.filter(audience=Notice.Audience.CONTRACTS, contracts=loja)
    assert notices.count() == len(CODES)
    # Início shows the notice; the invoice page shows why, the new date and the reference.
    client.force_login(ana)
    home = client.get(reverse("portal:home")).content.decode()
    assert "O banco devolveu o débito" in home
    assert "Pague até" in home
    page = client.get(reverse("billing:invoice", args=[invoices[0].number])).content.decode()
    assert "Débito direto devolvido" in page
    assert "saldo insuficiente na conta na data do débito (AM04)" in page
    assert reference.formatted_reference in page
    new_due = DirectDebitCollection.objects.get(invoice=invoices[0]).new_due_date
    assert new_due.strftime("%d/%m/%Y") in page


def test_a_notice_of_a_return_can_be_dismissed(tmp_path, loja, ana, client):
    (invoice,) = collected(loja, [9])
    import_file(
        tmp_path,
        pain002_report(
            message_id="R", original_message_id="X", outcomes=[outcome(invoice, code="AM04")]
        ),
    )
    notice = Notice.objects.get(contracts=loja)
    client.force_login(ana)
    response = client.post(reverse("notices:dismiss", args=[notice.public_id]))
    assert response.status_code in (200, 302)
    assert "O banco devolveu o débito" not in client.get(reverse("portal:home")).content.decode()


def test_settled_debits_issue_their_receipts(tmp_path, loja):
    september, october = collected(loja, [9, 10])
    content = camt054_notification(
        message_id="NTF-2",
        iban="PT50003506510000000000158",
        outcomes=[outcome(september), outcome(october, code="AM04")],
    )
    output = import_file(tmp_path, content)
    assert "1 cobrados, 1 devolvidos" in output
    september.refresh_from_db()
    assert september.status == Invoice.Status.PAID
    payment = Payment.objects.get()
    assert payment.method == PaymentMethod.DIRECT_DEBIT
    assert payment.transaction_id == september.number
    assert payment.amount == september.gross_total
    assert payment.paid_at.date() == september.due_date
    assert payment.receipt.status == Receipt.Status.ISSUED
    collection = DirectDebitCollection.objects.get(invoice=september)
    assert (collection.status, collection.payment) == (
        DirectDebitCollection.Status.SETTLED,
        payment,
    )


def test_a_settled_debit_refunded_later_reverses_its_receipt(tmp_path, loja):
    (invoice,) = collected(loja, [9])
    import_file(
        tmp_path,
        pain002_report(message_id="A", original_message_id="X", outcomes=[outcome(invoice)]),
        "a.xml",
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    refund = outcome(invoice, code="MD06", on=invoice.due_date + datetime.timedelta(days=20))
    import_file(
        tmp_path,
        camt054_notification(message_id="B", iban="PT50003506510000000000158", outcomes=[refund]),
        "b.xml",
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    receipt = Receipt.objects.get()
    assert receipt.status == Receipt.Status.CANCELLED
    assert "MD06" in receipt.payment.reversal.reason
    assert DirectDebitCollection.objects.get().status == DirectDebitCollection.Status.RETURNED


def test_importing_the_same_file_twice_changes_nothing(
    tmp_path, loja, django_capture_on_commit_callbacks
):
    september, october = collected(loja, [9, 10])
    content = pain002_report(
        message_id="RPT-9",
        original_message_id="X",
        outcomes=[outcome(september), outcome(october, code="MS02")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_file(tmp_path, content)
    state = list(DirectDebitCollection.objects.order_by("pk").values())
    counts = (
        Payment.objects.count(),
        Receipt.objects.count(),
        Notice.objects.count(),
        len(mail.outbox),
    )
    with django_capture_on_commit_callbacks(execute=True):
        output = import_file(tmp_path, content)
        # The bank sends the same answers again in another file (its own message id).
        resent = import_file(
            tmp_path,
            pain002_report(
                message_id="RPT-10",
                original_message_id="X",
                outcomes=[outcome(september), outcome(october, code="MS02")],
            ),
            "reenviado.xml",
        )
    assert "este ficheiro já foi importado em" in output and "nada a fazer" in output
    assert BankReturnFile.objects.count() == 2
    assert "0 cobrados, 0 devolvidos, 2 já registados" in resent
    assert list(DirectDebitCollection.objects.order_by("pk").values()) == state
    assert (
        Payment.objects.count(),
        Receipt.objects.count(),
        Notice.objects.count(),
        len(mail.outbox),
    ) == counts


def test_a_debit_the_file_does_not_know_is_reported_not_dropped(tmp_path, loja):
    (invoice,) = collected(loja, [9])
    stranger = BankOutcome("FT 1999X/1", False, "AM04", invoice.due_date, Decimal("1.00"))
    output = import_file(
        tmp_path, pain002_report(message_id="Z", original_message_id="X", outcomes=[stranger])
    )
    assert "1 sem correspondência" in output
    assert DirectDebitCollection.objects.get().status == DirectDebitCollection.Status.SENT


def test_a_file_that_is_not_a_bank_answer_is_refused(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "x.xml"
    path.write_bytes(b"<Document><Other/></Document>")
    with pytest.raises(CommandError, match="pain.002 nem um camt.054"):
        call_command("import_sepa_returns", str(path), stdout=io.StringIO())


def test_a_file_mixing_accounts_settles_in_bulk_with_gapless_receipts(
    tmp_path, loja, casa, bruno, django_capture_on_commit_callbacks
):
    """Three accounts on direct debit, two months each; a first file settles one debit, the
    next one (camt.054) mixes settled and returned lines across the accounts, a refund of
    the debit settled before, and a debit settled then returned within the file."""
    contracts = [loja, casa, bruno.subscriptions.get().contract]
    for contract in contracts[1:]:
        create_mandate(
            account=contract.account,
            debtor_name=contract.customer.name,
            debtor_address="Rua Direita, 10, 2400-001 Leiria",
            iban="PT50000201231234567890154",
            signed_at=datetime.date(2026, 1, 15),
            signed_place="Leiria",
            authorisation_text="Autorizo.",
        )
    invoices = {}
    for month in (9, 10):
        for n, contract in enumerate(contracts):
            invoices[n, month] = issue_month_invoice(contract, datetime.date(2026, month, 1))
        collect_due_invoices(due_date=invoices[0, month].due_date)
    assert DirectDebitCollection.objects.count() == 6
    import_file(
        tmp_path,
        pain002_report(message_id="A", original_message_id="X", outcomes=[outcome(invoices[0, 9])]),
        "a.xml",
    )
    first_receipt = Receipt.objects.get()

    settled = [invoices[1, 9], invoices[2, 10], invoices[0, 10], invoices[2, 9]]
    lines = [
        outcome(settled[0]),
        outcome(invoices[1, 10], code="AM04"),
        outcome(settled[1]),
        outcome(invoices[0, 9], code="MD06", on=invoices[0, 9].due_date + datetime.timedelta(5)),
        outcome(settled[2]),
        outcome(settled[3]),
        outcome(settled[2]),  # the same debit twice: paid once
    ]
    with django_capture_on_commit_callbacks(execute=True):
        output = import_file(
            tmp_path,
            camt054_notification(message_id="B", iban="PT50003506510000000000158", outcomes=lines),
            "b.xml",
        )
    assert "7 débitos lidos, 4 cobrados, 2 devolvidos, 1 já registados" in output

    # Receipts numbered without gaps after the first, in the file's order, each paying its
    # invoice, on its account, by direct debit, named by the end-to-end id.
    receipts = list(Receipt.objects.order_by("sequence").select_related("payment"))
    assert [r.sequence for r in receipts] == list(range(1, 6))
    assert receipts[0] == first_receipt
    for receipt, invoice in zip(receipts[1:], settled, strict=True):
        assert receipt.number.endswith(f"/{receipt.sequence}")
        assert receipt.status == Receipt.Status.ISSUED
        assert receipt.account_id == invoice.account_id
        assert receipt.gross_total == invoice.gross_total
        assert [(line.invoice_id, line.amount) for line in receipt.lines.all()] == [
            (invoice.pk, invoice.gross_total)
        ]
        payment = receipt.payment
        assert (payment.method, payment.transaction_id) == (
            PaymentMethod.DIRECT_DEBIT,
            invoice.number,
        )
        collection = DirectDebitCollection.objects.get(invoice=invoice)
        assert (collection.status, collection.payment, collection.settled_on) == (
            DirectDebitCollection.Status.SETTLED,
            payment,
            invoice.due_date,
        )
        invoice.refresh_from_db()
        assert invoice.status == Invoice.Status.PAID
        assert invoice.events.filter(kind="paid", note=receipt.number).exists()
    # The returned: still to pay; the one settled by the first file has its receipt cancelled.
    first_receipt.refresh_from_db()
    assert first_receipt.status == Receipt.Status.CANCELLED
    for invoice in (invoices[1, 10], invoices[0, 9]):
        invoice.refresh_from_db()
        assert invoice.status == Invoice.Status.ISSUED
        collection = DirectDebitCollection.objects.get(invoice=invoice)
        assert collection.status == DirectDebitCollection.Status.RETURNED
    assert len(mail.outbox) == 2
    assert Notice.objects.count() == 2


def test_a_debit_settled_then_returned_in_one_file_has_its_receipt_reversed(tmp_path, loja):
    september, october = collected(loja, [9, 10])
    content = camt054_notification(
        message_id="C",
        iban="PT50003506510000000000158",
        outcomes=[
            outcome(september),
            outcome(october),
            outcome(september, code="MD06", on=september.due_date + datetime.timedelta(3)),
        ],
    )
    output = import_file(tmp_path, content)
    assert "3 débitos lidos, 2 cobrados, 1 devolvidos" in output
    september.refresh_from_db()
    october.refresh_from_db()
    assert (september.status, october.status) == (Invoice.Status.ISSUED, Invoice.Status.PAID)
    receipts = list(Receipt.objects.order_by("sequence").select_related("payment"))
    assert [(r.sequence, r.status, r.payment.transaction_id) for r in receipts] == [
        (1, Receipt.Status.CANCELLED, september.number),
        (2, Receipt.Status.ISSUED, october.number),
    ]
    assert DirectDebitCollection.objects.get(invoice=september).status == "returned"
    # And the same file again changes nothing.
    again = import_file(tmp_path, content)
    assert "já foi importado" in again
    assert Receipt.objects.count() == 2
