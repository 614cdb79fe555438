""" "Imprimir faturas": group Faturação prints a month's paper invoices as one PDF, made in
the background; each is marked sent and not printed again unless asked (issue 13)."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader
from reportlab.lib.units import mm

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.invoice_pdf import (
    PAGE_HEIGHT,
    WINDOW_BOTTOM_MM,
    WINDOW_LEFT_MM,
    WINDOW_RIGHT_MM,
    WINDOW_TOP_MM,
)
from balcao.billing.models import Invoice, InvoiceDelivery, InvoicePrintRun
from balcao.billing.services.invoices import issue_credit_note
from balcao.billing.services.pdfs import keep_invoice_pdf
from balcao.billing.services.print_runs import perform_print_run
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.tests.factories import ContractFactory
from balcao.core.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
ADD = "/admin/billing/invoiceprintrun/add/"


@pytest.fixture
def billing_clerk(client):
    user = UserFactory(username="faturacao", is_staff=True)
    user.groups.add(Group.objects.get(name="Faturação"))
    client.force_login(user)
    return user


def paper_contract(name):
    return ContractFactory(customer__name=name)


@pytest.fixture
def november_invoices():
    """Three paper invoices issued in November (one with its PDF kept already, two not yet),
    one e-invoice, and a paper invoice issued in October."""
    issue_month_invoice(paper_contract("Rui Mendes"), SEPTEMBER)  # issued 01/10
    names = ["Ana Silva", "Bruno Costa", "Carla Dias"]
    paper = [issue_month_invoice(paper_contract(name), OCTOBER) for name in names]
    keep_invoice_pdf(paper[1].pk)
    emailed = ContractFactory()
    emailed.account.e_invoice, emailed.account.e_invoice_email = True, "x@example.pt"
    emailed.account.save()
    issue_month_invoice(emailed, OCTOBER)
    return paper


def start_run(client, callbacks, **data):
    with callbacks(execute=True):  # the background task, after commit
        response = client.post(ADD, {"month_text": "2026-11", **data})
    assert response.status_code == 302, response.content.decode()
    run = InvoicePrintRun.objects.order_by("-pk").first()
    assert response["Location"] == f"/admin/billing/invoiceprintrun/{run.pk}/change/"
    return run


def pdf_of(client, run) -> PdfReader:
    response = client.get(f"/admin/billing/invoiceprintrun/{run.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def test_the_months_paper_invoices_print_as_one_pdf_and_are_marked_sent(
    client, billing_clerk, november_invoices, django_capture_on_commit_callbacks
):
    run = start_run(client, django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert (run.status, run.total, run.done, run.started_by) == ("done", 3, 3, billing_clerk)
    page = client.get(f"/admin/billing/invoiceprintrun/{run.pk}/change/").content.decode()
    assert "3 de 3 faturas (Concluída)." in page
    assert "Descarregar o PDF para imprimir" in page

    reader = pdf_of(client, run)
    # One page-set per invoice, in the order of their numbers, each the PDF kept at issue.
    starts = []
    for invoice in november_invoices:
        invoice.refresh_from_db()
        assert invoice.pdf  # drawn for the run when it was missing
        starts.append(len(PdfReader(invoice.pdf.open("rb")).pages))
    assert len(reader.pages) == sum(starts) == run.pages
    first_pages = [0, starts[0], starts[0] + starts[1]]
    for index, invoice in zip(first_pages, november_invoices, strict=True):
        text = reader.pages[index].extract_text()
        assert invoice.number in text and invoice.customer_name in text
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Rui Mendes" not in text  # issued in October: another month's run

    deliveries = InvoiceDelivery.objects.filter(channel="paper", invoice__in=november_invoices)
    assert {(d.status, d.print_run_id) for d in deliveries} == {("sent", run.pk)}
    assert all(d.sent_at for d in deliveries)
    emailed = InvoiceDelivery.objects.get(channel="email")
    assert emailed.print_run is None


def test_a_second_run_skips_what_was_printed_unless_asked(
    client, billing_clerk, november_invoices, django_capture_on_commit_callbacks
):
    first = start_run(client, django_capture_on_commit_callbacks)
    first_sent = {d.pk: d.sent_at for d in InvoiceDelivery.objects.filter(status="sent")}
    # The same task delivered twice does the work once.
    assert perform_print_run(first.pk).file == InvoicePrintRun.objects.get(pk=first.pk).file
    assert InvoicePrintRun.objects.count() == 1

    again = start_run(client, django_capture_on_commit_callbacks)
    again.refresh_from_db()
    assert (again.status, again.total, again.file) == ("done", 0, "")
    page = client.get(f"/admin/billing/invoiceprintrun/{again.pk}/change/").content.decode()
    assert "0 de 0 faturas (Concluída)." in page
    assert client.get(f"/admin/billing/invoiceprintrun/{again.pk}/pdf/").status_code == 404

    reprint = start_run(client, django_capture_on_commit_callbacks, include_sent="on")
    reprint.refresh_from_db()
    assert (reprint.total, reprint.done) == (3, 3)
    first.refresh_from_db()
    assert len(pdf_of(client, reprint).pages) == first.pages == reprint.pages
    # Sent once: the date it first went stays.
    assert {d.pk: d.sent_at for d in InvoiceDelivery.objects.filter(status="sent")} == first_sent


def test_a_month_given_badly_is_refused_next_to_the_field(client, billing_clerk):
    response = client.post(ADD, {"month_text": "11/2026"})
    assert response.status_code == 200
    assert "Indique o mês como AAAA-MM, por exemplo 2026-10." in response.content.decode()
    assert not InvoicePrintRun.objects.exists()


def test_the_add_page_is_called_imprimir_faturas(client, billing_clerk):
    page = client.get(ADD).content.decode()
    assert "<title>Imprimir faturas" in page
    assert "Incluir as já impressas" in page


def test_only_faturacao_prints_and_downloads(
    client, clerk_client, november_invoices, django_capture_on_commit_callbacks
):
    assert clerk_client.get(ADD).status_code == 403
    assert clerk_client.get("/admin/billing/invoiceprintrun/").status_code == 403
    clerk_client.logout()

    clerk = UserFactory(username="faturacao", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Faturação"))
    client.force_login(clerk)
    run = start_run(client, django_capture_on_commit_callbacks)
    client.logout()

    other = UserFactory(username="atendimento2", is_staff=True)
    other.groups.add(Group.objects.get(name="Atendimento"))
    client.force_login(other)
    assert client.get(f"/admin/billing/invoiceprintrun/{run.pk}/pdf/").status_code == 404
    # Atendimento sees how each invoice went out, to answer the customer, and no more.
    assert client.get("/admin/billing/invoicedelivery/").status_code == 200
    customer = UserFactory(username="cliente")
    client.force_login(customer)
    response = client.get(f"/admin/billing/invoiceprintrun/{run.pk}/pdf/")
    assert response.status_code == 302  # to the back office's sign-in


def test_the_address_sits_in_the_window_of_a_dl_envelope(billing_clerk):
    address = AddressFactory(
        street="Rua Doutor Américo Cortês Pinto, Lote 12, Bloco B, Urbanização do Vale",
        postal_code="2420-999",
        postal_locality="LEIRIA",
    )
    contract = ContractFactory(customer__name="Maria da Conceição Ferreira Gonçalves")
    contract.account.billing_address = address
    contract.account.save()
    invoice = keep_invoice_pdf(issue_month_invoice(contract, OCTOBER).pk)

    placed = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            placed.append((text.strip(), tm[4], tm[5]))

    PdfReader(invoice.pdf.open("rb")).pages[0].extract_text(visitor_text=visit)
    window = [
        (text, x, y)
        for text, x, y in placed
        if any(part in text for part in ("Maria", "Rua Doutor", "Urbaniza", "2420-999"))
    ]
    # The name, the street (wrapped to the window's width) and the postal code's line.
    assert len(window) >= 4, placed
    for _text, x, y in window:
        from_top = (PAGE_HEIGHT - y) / mm
        assert WINDOW_TOP_MM + 2 < from_top < WINDOW_BOTTOM_MM - 2
        assert WINDOW_LEFT_MM < x / mm < WINDOW_RIGHT_MM


def first_pages(documents):
    """Where each document starts in a run's PDF (its kept PDF's pages, one after another)."""
    starts, at = [], 0
    for document in documents:
        document.refresh_from_db()
        starts.append(at)
        at += len(PdfReader(document.pdf.open("rb")).pages)
    return starts, at


def test_an_invoice_cancelled_before_it_went_out_is_not_printed_its_credit_note_is(
    client, billing_clerk, november_invoices, django_capture_on_commit_callbacks
):
    cancelled, *others = november_invoices
    note = issue_credit_note(
        invoice=cancelled, reason="Leitura errada.", issue_date=datetime.date(2026, 11, 5)
    )
    run = start_run(client, django_capture_on_commit_callbacks, include_sent="on")

    run.refresh_from_db()
    assert run.total == 3
    reader = pdf_of(client, run)
    starts, pages = first_pages([*others, note])
    assert len(reader.pages) == pages
    # The two invoices, then the credit note; the cancelled invoice only as what it corrects.
    for index, document in zip(starts, [*others, note], strict=True):
        assert document.number in reader.pages[index].extract_text()
    assert "Nota de crédito" in reader.pages[starts[-1]].extract_text()
    text = "".join(page.extract_text() for page in reader.pages)
    assert f"Fatura\n{others[0].number}" in text and f"Fatura\n{cancelled.number}" not in text
    withdrawn = InvoiceDelivery.objects.get(invoice=cancelled)
    assert (withdrawn.status, withdrawn.print_run) == ("withdrawn", None)
    assert "anulada pela nota de crédito NC 2026A/1" in withdrawn.note


def test_the_months_credit_notes_print_after_its_invoices_once(
    client, billing_clerk, november_invoices, django_capture_on_commit_callbacks
):
    # October's invoice, printed in October's run, is corrected in November: its credit
    # note goes out with November's paper.
    october = Invoice.objects.get(customer_name="Rui Mendes")
    InvoiceDelivery.objects.filter(invoice=october).update(status="sent")
    note = issue_credit_note(
        invoice=october, reason="Leitura errada.", issue_date=datetime.date(2026, 11, 20)
    )
    emailed = Invoice.objects.get(deliveries__channel="email")
    issue_credit_note(
        invoice=emailed, reason="Leitura errada.", issue_date=datetime.date(2026, 11, 21)
    )  # an e-invoice account's: e-mailed, not printed

    run = start_run(client, django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert (run.total, run.done) == (4, 4)
    reader = pdf_of(client, run)
    documents = [*november_invoices, note]
    starts, pages = first_pages(documents)
    assert len(reader.pages) == pages == run.pages
    for index, document in zip(starts, documents, strict=True):
        assert document.number in reader.pages[index].extract_text()
    last = reader.pages[starts[-1]].extract_text()
    assert "Nota de crédito" in last and "Rui Mendes" in last and october.number in last
    delivery = InvoiceDelivery.objects.get(invoice=note)
    assert (delivery.channel, delivery.status, delivery.print_run) == ("paper", "sent", run)
    # The Faturação clerk's next run of the month has nothing left: not printed twice.
    again = start_run(client, django_capture_on_commit_callbacks)
    again.refresh_from_db()
    assert (again.total, again.file) == (0, "")


def test_a_run_left_running_by_a_dead_worker_does_not_block_the_month(
    client, billing_clerk, november_invoices, django_capture_on_commit_callbacks
):
    import time_machine

    with time_machine.travel("2026-11-20 09:00:00+00:00"):
        InvoicePrintRun.objects.create(month=datetime.date(2026, 11, 1), status="running")
        refused = client.post(ADD, {"month_text": "2026-11"})
        assert "Já está a ser feita uma impressão deste mês" in refused.content.decode()
    with time_machine.travel("2026-11-20 16:00:00+00:00"):
        run = start_run(client, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert (run.status, run.total) == ("done", 3)
