"""Issue 13's direct debit pages pass axe in the browser: an invoice whose debit the bank
returned (its alert on Início too), and "Desativar" for direct debit and e-invoice, clicked
through to the contract page."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from balcao.billing.models import authorisation_text
from balcao.billing.services import create_mandate
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.services.account_changes import start_e_invoice
from balcao.payments.bank_files import BankOutcome, pain002_report
from balcao.payments.services.bank_returns import import_bank_returns
from balcao.payments.services.direct_debit import collect_due_invoices

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_direct_debit_pages_are_accessible(page, login, assert_accessible, ana, settings):
    loja = ana.subscriptions.get(custom_name="Loja").contract
    create_mandate(
        account=loja.account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita 1, 2400-001 Leiria",
        iban="PT50000201231234567890154",
        signed_at=datetime.date(2026, 4, 10),
        signed_place="Leiria",
        authorisation_text=authorisation_text(settings.UTILITY["name"]),
    )
    start_e_invoice(account=loja.account, email="ana.silva@example.pt", actor=None, reason="")
    invoice = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    collect_due_invoices(due_date=invoice.due_date)
    outcome = BankOutcome(invoice.number, False, "AM04", invoice.due_date, invoice.gross_total)
    import_bank_returns(
        content=pain002_report(message_id="R1", original_message_id="X", outcomes=[outcome]),
        source="e2e",
    )

    login(page, ana)
    page.goto("/")
    expect(
        page.get_by_text(f"O débito direto da fatura {invoice.number} foi devolvido")
    ).to_be_visible()
    assert_accessible(page)

    page.goto(reverse("billing:invoice", args=[invoice.number]))
    expect(page.get_by_role("heading", name="Débito direto devolvido")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/contratos/{loja.contract_number}/")
    page.get_by_role("link", name="Desativar o débito direto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Desativar o débito direto")
    assert_accessible(page)
    page.get_by_role("button", name="Desativar o débito direto").click()
    expect(page.get_by_text("O débito direto foi desativado")).to_be_visible()

    page.get_by_role("link", name="Desativar a fatura eletrónica").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Desativar a fatura eletrónica")
    assert_accessible(page)
    page.get_by_role("button", name="Desativar a fatura eletrónica").click()
    expect(page.get_by_text("A fatura eletrónica foi desativada")).to_be_visible()
    assert_accessible(page)
