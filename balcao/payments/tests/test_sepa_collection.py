"""The direct debit file (pain.008) through ``manage.py sepa_collection`` and the admin: it
validates against the ISO 20022 schema sepaxml ships, carries the right sequence types, the
creditor identifier, each mandate's reference and signature date, amounts to the cent and
the invoice number as end-to-end id; held, paid and Multibanco invoices stay out, and no
invoice is collected twice."""

import datetime
import io
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from balcao.billing.models import DirectDebitMandate
from balcao.billing.tests.factories import issue_month_invoice
from balcao.core.money import format_euros
from balcao.payments.models import DirectDebitBatch, DirectDebitCollection
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType

pytestmark = pytest.mark.django_db

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def run(due):
    out = io.StringIO()
    call_command("sepa_collection", "--due", due.isoformat(), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def debits(batch):
    """(end-to-end id, sequence type, amount, mandate id, signature date) per debit."""
    root = etree.fromstring(Path(batch.file.path).read_bytes())
    rows = []
    for info in root.iterfind(".//p:PmtInf", NS):
        sequence = info.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS)
        for tx in info.iterfind("p:DrctDbtTxInf", NS):
            rows.append(
                (
                    tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
                    sequence,
                    tx.findtext("p:InstdAmt", namespaces=NS),
                    tx.findtext("p:DrctDbtTx/p:MndtRltdInf/p:MndtId", namespaces=NS),
                    tx.findtext("p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr", namespaces=NS),
                )
            )
    return root, rows


def test_the_file_validates_and_says_what_the_bank_needs(loja):
    invoice = issue_month_invoice(loja, datetime.date(2026, 9, 1), volume="12.345")
    mandate = DirectDebitMandate.objects.get(account=loja.account)
    output = run(invoice.due_date)
    batch = DirectDebitBatch.objects.get()
    assert batch.status == DirectDebitBatch.Status.DONE
    xmlschema.XMLSchema(XSD).validate(batch.file.path)  # raises on any schema error
    root, rows = debits(batch)
    assert rows == [
        (
            invoice.number,
            "FRST",
            f"{invoice.gross_total:.2f}",
            mandate.reference,
            mandate.signed_at.isoformat(),
        )
    ]
    assert root.findtext(".//p:PmtInf/p:ReqdColltnDt", namespaces=NS) == (
        invoice.due_date.isoformat()
    )
    creditor = root.findtext(".//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id", namespaces=NS)
    assert creditor == settings.UTILITY["creditor_id"]
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == batch.message_id
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == f"{invoice.gross_total:.2f}"
    assert "1 no ficheiro (1 FRST, 0 RCUR)" in output
    assert "[##############################] 1/1" in output


def test_first_debit_of_a_mandate_is_frst_and_the_next_ones_rcur(loja):
    september = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    october = issue_month_invoice(loja, datetime.date(2026, 10, 1))
    run(september.due_date)
    run(october.due_date)
    sequence = dict(DirectDebitCollection.objects.values_list("invoice__number", "sequence_type"))
    assert sequence == {september.number: "FRST", october.number: "RCUR"}
    later = DirectDebitBatch.objects.get(due_date=october.due_date)
    xmlschema.XMLSchema(XSD).validate(later.file.path)
    assert [row[1] for row in debits(later)[1]] == ["RCUR"]


def test_a_new_mandate_starts_again_with_frst(loja):
    september = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    run(september.due_date)
    from balcao.billing.services import create_mandate

    create_mandate(
        account=loja.account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita, 10, Leiria",
        iban="PT50003506510000000000158",
        signed_at=datetime.date(2026, 10, 20),
        signed_place="Leiria",
        authorisation_text="Autorizo.",
    )
    october = issue_month_invoice(loja, datetime.date(2026, 10, 1))
    run(october.due_date)
    assert DirectDebitCollection.objects.get(invoice=october).sequence_type == "FRST"


def test_a_rerun_collects_nothing_twice(loja):
    invoice = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    run(invoice.due_date)
    output = run(invoice.due_date)
    assert DirectDebitCollection.objects.filter(invoice=invoice).count() == 1
    assert "Nada a debitar" in output
    assert not DirectDebitBatch.objects.order_by("-pk").first().file


def test_only_open_unheld_direct_debit_invoices_due_that_day(loja, casa, ana):
    held = issue_month_invoice(loja, datetime.date(2026, 8, 1))
    due_one = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    multibanco = issue_month_invoice(casa, datetime.date(2026, 9, 1))  # no direct debit
    other_day = issue_month_invoice(loja, datetime.date(2026, 10, 1))
    assert multibanco.due_date == due_one.due_date
    # A complaint about the invoice holds it out of the file while it is open ("Reclamar
    # desta fatura" sets the request's invoice; here it is set on a complaint directly).
    complaint = request_services.submit_request(
        user=ana,
        request_type=RequestType.COMPLAINT,
        contract=loja,
        channel=Channel.EMAIL,
        contact_value="ana.silva@example.pt",
        description="O consumo está errado.",
    )
    complaint.invoice = held
    complaint.save(update_fields=["invoice"])
    run(due_one.due_date)
    run(held.due_date)
    collected = set(DirectDebitCollection.objects.values_list("invoice_id", flat=True))
    assert due_one.pk in collected
    assert other_day.pk not in collected
    assert multibanco.pk not in collected
    assert held.pk not in collected


def test_the_admin_writes_the_file_in_the_background(
    client, loja, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from balcao.accounts.tests.factories import UserFactory
    from balcao.core.roles import sync_staff_groups

    sync_staff_groups()
    clerk = UserFactory(username="faturacao", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Faturação"))
    client.force_login(clerk)
    invoice = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:payments_directdebitbatch_add"),
            {"due_date": invoice.due_date.isoformat()},
        )
    batch = DirectDebitBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:payments_directdebitbatch_change", args=[batch.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert "1 de 1 faturas (Concluído)" in page.content.decode()
    assert batch.created_by == clerk
    assert DirectDebitCollection.objects.get().invoice == invoice


def test_the_invoice_page_pre_notifies_the_debit(ana_client, loja):
    invoice = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    url = reverse("billing:invoice", args=[invoice.number])
    page = ana_client.get(url).content.decode()
    assert (
        f"O montante de {format_euros(invoice.gross_total)} será debitado na conta "
        f"PT50 **** **** **** 0154 em {invoice.due_date:%d/%m/%Y}."
    ) in page
    run(invoice.due_date)
    page = ana_client.get(url).content.decode()
    assert f"Enviada ao banco: {format_euros(invoice.gross_total)}" in page


def test_the_debit_keeps_the_invoice_page_within_its_query_budget(
    ana_client, loja, django_assert_max_num_queries
):
    invoice = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    url = reverse("billing:invoice", args=[invoice.number])
    ana_client.get(url)  # warm the session
    with django_assert_max_num_queries(9):  # billing's page budget (billing/tests/test_pages)
        assert ana_client.get(url).status_code == 200


def test_an_invoice_split_in_instalments_is_not_debited_whole(loja, ana, clerk):
    from balcao.payments.services.invoice_requests import ask_for_instalments
    from balcao.payments.services.plans import accept_payment_plan

    invoice = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    request = ask_for_instalments(
        user=ana,
        invoice=invoice,
        instalments=3,
        description="",
        channel=Channel.EMAIL,
        contact_value="ana.silva@example.pt",
    )
    accept_payment_plan(
        service_request=request,
        instalments=3,
        first_due_date=invoice.due_date,
        actor=clerk,
        today=invoice.issue_date,
    )
    run(invoice.due_date)
    assert not DirectDebitCollection.objects.filter(invoice=invoice).exists()
