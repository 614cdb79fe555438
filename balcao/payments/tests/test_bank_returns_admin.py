""" "Importar devoluções do banco": group Faturação uploads the bank's answer (camt.054 or
pain.002) in the admin; it is imported in the background, by the command's service, and its
page shows what came of each debit; a wrong file is refused next to the field, the same file
twice changes nothing; Atendimento and customers import nothing."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from balcao.billing.models import Invoice
from balcao.payments.bank_files import BankOutcome, camt054_notification, pain002_report
from balcao.payments.models import BankReturnFile, DirectDebitCollection, Payment
from balcao.payments.tests.bank_answers import collected, outcome

pytestmark = pytest.mark.django_db

ADD = "/admin/payments/bankreturnfile/add/"
IBAN = "PT50003506510000000000158"


def upload(client, data: bytes, name="camt054-20261121.xml"):
    return client.post(
        ADD, {"upload": SimpleUploadedFile(name, data, content_type="application/xml")}
    )


@pytest.fixture
def faturacao(client, billing_clerk):
    client.force_login(billing_clerk)
    return client


def test_a_clerk_uploads_a_camt054_and_reads_what_came_of_each_debit(
    faturacao, billing_clerk, loja, django_capture_on_commit_callbacks
):
    september, october = collected(loja, [9, 10])
    stranger = BankOutcome("FT 1999X/1", True, "", september.due_date, september.gross_total)
    data = camt054_notification(
        message_id="NTF-77",
        iban=IBAN,
        outcomes=[outcome(september), outcome(october, code="AM04"), stranger],
    )

    form = faturacao.get(ADD).content.decode()
    assert "<h1>Importar devoluções do banco</h1>" in form
    assert "pain.002 (relatório de estado) ou camt.054" in form

    with django_capture_on_commit_callbacks(execute=True):  # the task, after commit
        response = upload(faturacao, data)

    returns_file = BankReturnFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/payments/bankreturnfile/{returns_file.pk}/change/"
    assert (returns_file.status, returns_file.kind, returns_file.message_id) == (
        "done",
        "camt.054",
        "NTF-77",
    )
    assert (
        returns_file.lines_read,
        returns_file.settled,
        returns_file.returned,
        returns_file.already_known,
        returns_file.unmatched,
    ) == (3, 1, 1, 0, 1)
    assert returns_file.imported_by == billing_clerk
    assert returns_file.content.read() == data
    # What the command does: the receipt, the return with its notice and e-mail.
    assert Payment.objects.get().created_by == billing_clerk
    september.refresh_from_db()
    october.refresh_from_db()
    assert (september.status, october.status) == (Invoice.Status.PAID, Invoice.Status.ISSUED)
    returned = DirectDebitCollection.objects.get(invoice=october)
    assert (returned.status, returned.reason_code, returned.return_file) == (
        "returned",
        "AM04",
        returns_file,
    )
    assert len(mail.outbox) == 1

    page = faturacao.get(response["Location"]).content.decode()
    assert (
        "3 débitos lidos: 1 cobrados, 1 devolvidos, 0 já registados, 1 sem correspondência "
        "(Importado)." in page
    )
    assert (
        f"Fatura {october.number}, {str(october.gross_total).replace('.', ',')} €, devolvido "
        f"em {october.due_date:%d/%m/%Y}: saldo insuficiente na conta na data do débito "
        "(AM04)." in page
    )
    assert "FT 1999X/1: nenhum débito direto com esta identificação." in page

    again = upload(faturacao, data, name="de-novo.xml")

    assert again.status_code == 200
    assert "Este ficheiro já foi importado em" in again.content.decode()
    assert BankReturnFile.objects.count() == 1
    assert Payment.objects.count() == 1 and len(mail.outbox) == 1


def test_a_pain002_lists_its_returns_with_their_reason(
    faturacao, loja, django_capture_on_commit_callbacks
):
    (invoice,) = collected(loja, [9])
    data = pain002_report(
        message_id="RPT-5", original_message_id="X", outcomes=[outcome(invoice, code="MD01")]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(faturacao, data, name="pain002.xml")

    page = faturacao.get(response["Location"]).content.decode()
    assert "1 débitos lidos: 0 cobrados, 1 devolvidos" in page
    assert "o banco não tem uma autorização de débito direto válida (MD01)." in page
    assert BankReturnFile.objects.get().kind == "pain.002"


@pytest.mark.parametrize(
    "data",
    [b"<Document><Other/></Document>", b"Data;Valor\n2026-11-20;12,34\n"],
    ids=["other-xml", "not-xml"],
)
def test_a_file_that_is_not_a_bank_answer_is_refused_next_to_the_field(
    faturacao, loja, data, django_capture_on_commit_callbacks
):
    collected(loja, [9])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(faturacao, data, name="extrato.xml")

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Este ficheiro não é uma resposta do banco aos débitos diretos: tem de ser um ficheiro "
        "XML pain.002 ou camt.054." in html
    )
    assert "errorlist" in html
    assert not BankReturnFile.objects.exists()
    assert not callbacks
    assert DirectDebitCollection.objects.get().status == "sent"


def test_the_command_keeps_the_file_like_the_upload_and_the_upload_refuses_it_again(
    tmp_path, faturacao, loja
):
    (invoice,) = collected(loja, [9])
    data = pain002_report(message_id="RPT-6", original_message_id="X", outcomes=[outcome(invoice)])
    path = tmp_path / "retorno.xml"
    path.write_bytes(data)
    call_command("import_sepa_returns", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    returns_file = BankReturnFile.objects.get()
    assert (returns_file.name, returns_file.status, returns_file.settled) == (
        "retorno.xml",
        "done",
        1,
    )
    assert returns_file.imported_by is None
    response = upload(faturacao, data)
    assert "Este ficheiro já foi importado em" in response.content.decode()
    assert BankReturnFile.objects.count() == 1


def test_atendimento_reads_but_cannot_import(clerk_client, loja):
    (invoice,) = collected(loja, [9])
    data = pain002_report(message_id="R", original_message_id="X", outcomes=[outcome(invoice)])

    assert clerk_client.get("/admin/payments/bankreturnfile/").status_code == 200
    assert clerk_client.get(ADD).status_code == 403
    assert upload(clerk_client, data).status_code == 403
    assert not BankReturnFile.objects.exists()
    assert DirectDebitCollection.objects.get().status == "sent"


def test_a_customer_is_sent_to_the_staff_login(client, ana, loja):
    (invoice,) = collected(loja, [9])
    data = pain002_report(message_id="R", original_message_id="X", outcomes=[outcome(invoice)])
    client.force_login(ana)

    response = upload(client, data)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not BankReturnFile.objects.exists()


def test_an_import_that_fails_writes_nothing_and_the_file_may_be_sent_again(
    faturacao, loja, monkeypatch, django_capture_on_commit_callbacks
):
    (invoice,) = collected(loja, [9])
    data = pain002_report(message_id="R", original_message_id="X", outcomes=[outcome(invoice)])

    def broken(**kwargs):
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr("balcao.payments.services.bank_returns.import_bank_returns", broken)
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(faturacao, data)

    failed = BankReturnFile.objects.get()
    assert (failed.status, failed.error) == ("failed", "disk full")
    assert "Falhou" in faturacao.get(response["Location"]).content.decode()
    assert DirectDebitCollection.objects.get().status == "sent"

    with django_capture_on_commit_callbacks(execute=True):
        upload(faturacao, data)

    assert BankReturnFile.objects.filter(status="done", settled=1).count() == 1
    assert DirectDebitCollection.objects.get().status == "settled"
