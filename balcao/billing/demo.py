"""The demo's billing data: DOMAIN.md's demo tariff (domestic, social, large family) and
its non-domestic tariff, loaded from data/tariffs/*.toml by ``seed_demo``; then the demo
history billed month by month (the series refuses an earlier date) for the personas'
contracts, through the real billing run: estimates, acertos, one correction by credit note.

ana's "Casa" has its latest invoice unpaid on an account without direct debit (Início shows
its Multibanco reference); "Loja" has a billing account of its own, on direct debit with an
active mandate. Every earlier invoice is left open here and paid right after by payments'
demo (``balcao.payments.demo``, next in ``seed_demo``), with a payment and its receipt.
"""

import datetime
import random
from pathlib import Path

from django.conf import settings

from balcao.billing.models import authorisation_text
from balcao.billing.services.billing_run import Tariffs, bill_contract, load_batch, month_bounds
from balcao.billing.services.corrections import correct_invoice
from balcao.billing.services.mandates import create_mandate
from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import read_tariff_file
from balcao.contracts.models import BillingAccount, Contract

TARIFF_DIR = Path(settings.BASE_DIR) / "data" / "tariffs"
MONTHS = 24
# The personas' contracts (balcao.contracts.demo.PERSONAS) are billed; the 300 generated
# customers are not, to keep the seed fast.
BILLED_CONTRACTS = ("600001", "600002", "600003", "600004", "600005")
CASA, LOJA = "600001", "600002"
LOJA_ACCOUNT = "319999"


def load_demo_tariffs() -> int:
    """Store every tariff of data/tariffs/; returns how many were stored."""
    count = 0
    for path in sorted(TARIFF_DIR.glob("*.toml")):
        tariffs, source = read_tariff_file(path)
        for data in tariffs:
            save_tariff(data, source=source)
            count += 1
    return count


def _loja_on_direct_debit(today: datetime.date) -> None:
    """ana's "Loja" gets its own billing account, paid by direct debit (active mandate);
    "Casa" is paid by Multibanco."""
    casa = Contract.objects.select_related("account", "customer").filter(contract_number=CASA)
    loja = Contract.objects.filter(contract_number=LOJA).first()
    casa_contract = casa.first()
    if casa_contract is None or loja is None:
        return
    BillingAccount.objects.filter(pk=casa_contract.account_id).update(direct_debit=False)
    account = BillingAccount.objects.create(
        account_number=LOJA_ACCOUNT,
        customer=casa_contract.customer,
        billing_address=casa_contract.account.billing_address,
    )
    loja.account = account
    loja.save(update_fields=["account"])
    create_mandate(
        account=account,
        debtor_name=casa_contract.customer.name,
        debtor_address=str(casa_contract.account.billing_address),
        iban="PT50000201231234567890154",
        signed_at=today - datetime.timedelta(days=800),
        signed_place="Leiria",
        authorisation_text=authorisation_text(settings.UTILITY["name"]),
    )


def bill_history(today: datetime.date) -> tuple[int, int]:
    """Bill every past month of the demo history for the personas' contracts, in date
    order; returns (invoices, credit notes)."""
    pks = list(
        Contract.objects.filter(contract_number__in=BILLED_CONTRACTS).values_list("pk", flat=True)
    )
    tariffs = Tariffs()
    first = month_bounds(today)[0]
    months = []
    cursor = first
    for _ in range(MONTHS):
        cursor = (cursor - datetime.timedelta(days=1)).replace(day=1)
        months.append(cursor)
    months.reverse()
    invoices = notes = 0
    for number, month in enumerate(months):
        issue_date = month_bounds(month)[1] + datetime.timedelta(days=9)  # after the window
        batch = load_batch(pks, month, taken_until=issue_date)
        for contract in batch.contracts:
            if contract.start_date > month_bounds(month)[1]:
                continue
            invoice = bill_contract(
                contract, month=month, issue_date=issue_date, batch=batch, tariffs=tariffs
            )
            invoices += invoice is not None
            if invoice is not None and contract.contract_number == CASA and number == 16:
                # A reading typed wrong, corrected: a credit note and the invoice again.
                correct_invoice(
                    invoice=invoice,
                    reason="Fatura corrigida a pedido do cliente: leitura revista.",
                    issue_date=issue_date,
                )
                notes += 1
    # Paid afterwards by payments' demo (balcao.payments.demo), through its receipts.
    return invoices, notes


def seed(*, rng: random.Random, today: datetime.date, stdout) -> None:
    count = load_demo_tariffs()
    stdout.write(f"Tarifários: {count}")
    _loja_on_direct_debit(today)
    invoices, notes = bill_history(today)
    stdout.write(f"  faturas: {invoices} e {notes} nota(s) de crédito ({MONTHS} meses)")
