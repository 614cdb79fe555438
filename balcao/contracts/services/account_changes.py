"""The changes of a billing account, of a holder's contacts and of a contract's end.

The customer asks for them through a request (manual 6.2 point 2) and they reach the rows
only when the customer service accepts it; the request's service calls these, which own
the rows. An account or a holder belongs to several contracts: the change is recorded as a
ContractEvent on each contract it concerns, so every contract's history says what changed.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts.models import BillingAccount, Contract, ContractEvent, Customer
from balcao.core.models import Address
from balcao.core.transitions import transition


def _record_on_contracts(
    contracts: QuerySet[Contract], *, kind: str, actor: User | None, note: str
) -> None:
    ContractEvent.objects.bulk_create(
        [
            ContractEvent(contract=contract, kind=kind, actor=actor, note=note)
            for contract in contracts
        ]
    )


def _locked_account(account: BillingAccount) -> BillingAccount:
    """The account again, locked until the transaction ends (two acceptances apply in turn)."""
    return BillingAccount.objects.select_for_update().get(pk=account.pk)


@transaction.atomic
def start_direct_debit(*, account: BillingAccount) -> BillingAccount:
    """The account's invoices are paid by direct debit from now on (manual 6.2 point 2 B).

    Only billing's ``create_mandate`` calls it, in its transaction: the mandate is the
    authorisation, and its MandateEvent is the record of the change.
    """
    account = _locked_account(account)
    if not account.direct_debit:
        account.direct_debit = True
        account.save(update_fields=["direct_debit"])
    return account


@transaction.atomic
def stop_direct_debit(
    *, account: BillingAccount, actor: User | None, reason: str
) -> BillingAccount:
    """The account's invoices are no longer debited: they are paid by Multibanco or at the
    counter from now on. Billing's ``revoke_mandate`` calls it in its transaction, when the
    debtor revokes the mandate ("Desativar" beside "Débito direto", manual 6.2)."""
    account = _locked_account(account)
    if account.direct_debit:
        account.direct_debit = False
        account.save(update_fields=["direct_debit"])
    _record_on_contracts(
        account.contracts.all(), kind=ContractEvent.Kind.DIRECT_DEBIT_OFF, actor=actor, note=reason
    )
    return account


@transaction.atomic
def start_e_invoice(
    *, account: BillingAccount, email: str, actor: User | None, reason: str
) -> BillingAccount:
    """The invoices go by e-mail to ``email`` ("Ativação da fatura eletrónica", manual 6.2
    point 2 A)."""
    email = (email or "").strip()
    if not email:
        raise ValidationError(_("Indique o e-mail para onde enviamos as faturas."))
    validate_email(email)
    account = _locked_account(account)
    account.e_invoice = True
    account.e_invoice_email = email
    account.full_clean()
    account.save(update_fields=["e_invoice", "e_invoice_email"])
    _record_on_contracts(
        account.contracts.all(), kind=ContractEvent.Kind.E_INVOICE_ON, actor=actor, note=reason
    )
    return account


@transaction.atomic
def stop_e_invoice(*, account: BillingAccount, actor: User | None, reason: str) -> BillingAccount:
    """The invoices go back to paper, at the billing address."""
    account = _locked_account(account)
    account.e_invoice = False
    account.e_invoice_email = ""
    account.save(update_fields=["e_invoice", "e_invoice_email"])
    _record_on_contracts(
        account.contracts.all(), kind=ContractEvent.Kind.E_INVOICE_OFF, actor=actor, note=reason
    )
    return account


@transaction.atomic
def change_billing_address(
    *, account: BillingAccount, address: Address | None, actor: User | None, reason: str
) -> BillingAccount:
    """Where the invoices are sent ("Alterar morada de envio das faturas", manual 6.2 point 2
    B). The address row becomes the account's own: the caller gives one no one else holds."""
    if address is None:
        raise ValidationError(_("Indique a nova morada de envio das faturas."))
    address.full_clean()
    if address.pk is None:
        address.save()
    account = _locked_account(account)
    account.billing_address = address
    account.save(update_fields=["billing_address"])
    _record_on_contracts(
        account.contracts.all(), kind=ContractEvent.Kind.BILLING_ADDRESS, actor=actor, note=reason
    )
    return account


@transaction.atomic
def update_contact_details(
    *,
    customer: Customer,
    email: str,
    phone: str,
    mobile: str,
    actor: User | None,
    reason: str,
) -> Customer:
    """The holder's e-mail, telephone and mobile; at least one of them stays."""
    if not any(value.strip() for value in (email, phone, mobile)):
        raise ValidationError(_("Indique pelo menos um contacto: e-mail, telefone ou telemóvel."))
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    customer.email = email.strip()
    customer.phone = phone.strip()
    customer.mobile = mobile.strip()
    customer.full_clean()
    customer.save(update_fields=["email", "phone", "mobile"])
    _record_on_contracts(
        customer.contracts.all(), kind=ContractEvent.Kind.CONTACTS, actor=actor, note=reason
    )
    return customer


@transaction.atomic
def terminate_contract(
    *, contract: Contract, end_date: datetime.date, actor: User | None, note: str
) -> Contract:
    """End the contract on ``end_date``, the day of its final reading ("Rescisão do contrato").

    TransitionNotAllowed when it has ended already (Contract.TRANSITIONS).
    """
    if end_date < contract.start_date:
        raise ValidationError(
            _("O contrato não pode terminar antes de %(date)s, a data em que começou.")
            % {"date": contract.start_date.strftime("%d/%m/%Y")}
        )
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    contract.end_date = end_date
    transition(contract, Contract.Status.ENDED, actor=actor, note=note, fields=["end_date"])
    return contract
