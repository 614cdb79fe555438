"""Payments' fixtures: ana's contracts, "Loja" paid by direct debit (a mandate in force)."""

import datetime

import pytest

from balcao.billing.services import create_mandate


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


@pytest.fixture
def loja(ana):
    """ana's "Loja": its own billing account, on direct debit with an active mandate."""
    contract = ana.subscriptions.get(custom_name="Loja").contract
    create_mandate(
        account=contract.account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita, 10, 2400-001 Leiria",
        iban="PT50000201231234567890154",
        signed_at=datetime.date(2026, 1, 15),
        signed_place="Leiria",
        authorisation_text="Autorizo.",
    )
    contract.account.refresh_from_db()
    return contract
