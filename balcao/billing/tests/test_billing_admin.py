"""The back office of billing for group Faturação: starting a month's run in the background
and following it; "Corrigir fatura" (a credit note and a new invoice, never an edit)."""

import datetime

import pytest
from django.contrib.auth.models import Group

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.models import BillingRun, Invoice
from balcao.billing.tests.factories import demo_tariff, issue_month_invoice
from balcao.contracts.tests.factories import ContractFactory
from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing_clerk(client):
    user = UserFactory(username="faturacao", is_staff=True)
    user.groups.add(Group.objects.get(name="Faturação"))
    client.force_login(user)
    return user


def test_a_faturacao_clerk_starts_a_run_and_follows_it(
    client, billing_clerk, django_capture_on_commit_callbacks
):
    demo_tariff()
    contracts = [ContractFactory() for _ in range(3)]
    ReadingFactory(installation=contracts[0].installation, taken_on=datetime.date(2026, 9, 30),
                   index=10)  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):  # the task, after commit
        response = client.post(
            "/admin/billing/billingrun/add/",
            {"month": "2026-10", "municipality": "", "issue_date": "02/11/2026"},
        )

    run = BillingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/billing/billingrun/{run.pk}/change/"
    # the demo and tests run tasks at once: it is done
    assert (run.status, run.total, run.issued, run.failed) == ("done", 3, 3, 0)
    assert run.started_by == billing_clerk
    assert [e.kind for e in run.events.order_by("pk")] == ["queued", "running", "done"]
    assert Invoice.objects.filter(created_by=billing_clerk).count() == 3
    page = client.get(response["Location"])
    assert "3 de 3 contratos (Concluída)." in page.content.decode()
    assert f'href="/admin/billing/billingrun/{run.pk}/change/">Atualizar</a>' in (
        page.content.decode()
    )


def test_a_month_not_over_is_refused_in_the_form(client, billing_clerk):
    response = client.post(
        "/admin/billing/billingrun/add/",
        {"month": "2026-11", "municipality": "", "issue_date": "15/11/2026"},
    )
    assert response.status_code == 200
    assert "O mês ainda não terminou" in response.content.decode()
    assert not BillingRun.objects.exists()


def test_atendimento_cannot_start_a_run(clerk_client):
    assert clerk_client.get("/admin/billing/billingrun/add/").status_code == 403


def test_corrigir_fatura_issues_a_credit_note_then_a_new_invoice(client, billing_clerk):
    contract = ContractFactory()
    invoice = issue_month_invoice(contract, datetime.date(2026, 9, 1), volume="10")
    ReadingFactory(installation=contract.installation, taken_on=datetime.date(2026, 8, 31),
                   index=100)  # fmt: skip
    ReadingFactory(installation=contract.installation, taken_on=datetime.date(2026, 9, 30),
                   index=106)  # fmt: skip
    data = {"action": "correct_invoices", "_selected_action": [invoice.pk]}

    confirm = client.post("/admin/billing/invoice/", data)
    assert "Motivo da correção" in confirm.content.decode()
    response = client.post(
        "/admin/billing/invoice/", {**data, "apply": "1", "reason": "Leitura mal lida."}
    )

    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == "cancelled"
    note = Invoice.objects.get(document_type="NC")
    assert (note.corrects, note.credit_reason) == (invoice, "Leitura mal lida.")
    new = Invoice.objects.get(document_type="FT", status="issued")
    assert new.period_start == invoice.period_start and new.water_volume == 6
    assert new.number == "FT 2026A/2"
    messages = [str(m) for m in client.get("/admin/billing/invoice/").context["messages"]]
    assert messages == [f"{invoice.number} anulada pela {note.number}; nova fatura {new.number}."]


def test_atendimento_has_no_corrigir_fatura(clerk_client):
    demo_tariff()
    invoice = issue_month_invoice(ContractFactory(), datetime.date(2026, 9, 1))
    response = clerk_client.post(
        "/admin/billing/invoice/",
        {"action": "correct_invoices", "_selected_action": [invoice.pk], "apply": "1",
         "reason": "x"},
    )  # fmt: skip
    invoice.refresh_from_db()
    assert invoice.status == "issued"
    assert response.status_code in (200, 302)


def test_faturas_finds_a_document_by_its_number_and_atcud_as_printed(client, billing_clerk):
    contract = ContractFactory()
    first = issue_month_invoice(contract, datetime.date(2026, 8, 1), volume="10")
    second = issue_month_invoice(contract, datetime.date(2026, 9, 1), volume="10")

    for printed in (second.number, f"  {second.number.lower()} ", f"ATCUD:{second.atcud}"):
        found = client.get("/admin/billing/invoice/", {"q": printed}).context["cl"].result_list
        assert list(found) == [second], printed
    # the contract number still finds every invoice of the contract
    found = client.get("/admin/billing/invoice/", {"q": contract.contract_number})
    assert set(found.context["cl"].result_list) == {first, second}
