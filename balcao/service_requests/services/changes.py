"""The contract changes a request carries (manual 6.2 point 2): whether one can be asked
for, and how an accepted one reaches the contract through the owners' services (contracts'
account_changes, billing's create_mandate), each recording its event.
"""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.services import create_mandate
from balcao.contracts.models import BillingAccount, Contract
from balcao.contracts.services import account_changes
from balcao.service_requests.models import (
    RequestType,
    ServiceRequest,
)
from balcao.service_requests.selectors import open_change_types


class ChangeNotPossible(ValidationError):
    """A change that makes no sense for the contract as it is now; the message says why."""


def change_not_possible(
    contract: Contract, request_type: str, *, account: BillingAccount | None = None
) -> str | None:
    """Why this change cannot be asked for the contract as it is now, if it cannot: an ended
    contract, a change the account has already, or the same change pending (manual 6.2
    point 2). The change page and submit_request ask the same; ``account``: the contract's,
    when the caller holds it locked."""
    account = account or contract.account
    if not contract.is_active:
        return _("Este contrato já terminou: não é possível pedir alterações.")
    if request_type == RequestType.E_INVOICE_ON and account.e_invoice:
        return _("A fatura eletrónica já está ativa neste contrato.")
    if request_type == RequestType.E_INVOICE_OFF and not account.e_invoice:
        return _("A fatura eletrónica não está ativa neste contrato.")
    if request_type == RequestType.DIRECT_DEBIT_ON and account.direct_debit:
        return _("O débito direto já está ativo neste contrato.")
    if request_type in open_change_types(contract):
        return _("Já existe um pedido desta alteração em curso para este contrato.")
    return None


def _apply_e_invoice_on(service_request: ServiceRequest, actor: User) -> str:
    assert service_request.contract is not None  # a change request always has its contract
    summary = _("A fatura eletrónica foi ativada; as faturas serão enviadas para %(email)s.") % {
        "email": service_request.payload.get("email", "")
    }
    service_request.contract.account = account_changes.start_e_invoice(
        account=service_request.contract.account,
        email=service_request.payload.get("email", ""),
        actor=actor,
        reason=_reason(service_request, summary),
    )
    return summary


def _apply_e_invoice_off(service_request: ServiceRequest, actor: User) -> str:
    assert service_request.contract is not None  # a change request always has its contract
    summary = _("A fatura eletrónica foi cancelada; as faturas seguirão em papel.")
    service_request.contract.account = account_changes.stop_e_invoice(
        account=service_request.contract.account,
        actor=actor,
        reason=_reason(service_request, summary),
    )
    return summary


def _apply_billing_address(service_request: ServiceRequest, actor: User) -> str:
    assert service_request.contract is not None  # a change request always has its contract
    summary = _(
        "A morada de envio das faturas foi alterada para %(address)s. A alteração fica "
        "disponível a partir da próxima fatura."
    ) % {"address": service_request.new_address}
    # The request's address row becomes the account's: it was created for this request
    # only, so no other owner shares it.
    service_request.contract.account = account_changes.change_billing_address(
        account=service_request.contract.account,
        address=service_request.new_address,
        actor=actor,
        reason=_reason(service_request, summary),
    )
    return summary


def _apply_contact_change(service_request: ServiceRequest, actor: User) -> str:
    assert service_request.contract is not None  # a change request always has its contract
    summary = _("Os dados de contacto do contrato foram atualizados.")
    data = service_request.payload
    service_request.contract.customer = account_changes.update_contact_details(
        customer=service_request.contract.customer,
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        mobile=data.get("mobile", ""),
        actor=actor,
        reason=_reason(service_request, summary),
    )
    return summary


def _apply_direct_debit_on(service_request: ServiceRequest, actor: User) -> str:
    assert service_request.contract is not None  # a change request always has its contract
    contract = service_request.contract
    data = service_request.payload
    mandate = create_mandate(
        account=contract.account,
        debtor_name=data["holder_name"],
        debtor_address=str(contract.account.billing_address),
        iban=data["iban"],
        bic=data.get("bic", ""),
        signed_at=datetime.date.fromisoformat(data["accepted_on"]),
        signed_place=data.get("accepted_place", ""),
        authorisation_text=data["authorisation_text"],
        actor=actor,
    )
    return _(
        "O débito direto foi ativado (autorização n.º %(reference)s, credor %(creditor)s). "
        "As próximas faturas serão debitadas na conta %(iban)s."
    ) % {
        "reference": mandate.reference,
        "creditor": mandate.creditor_identifier,
        "iban": mandate.masked_iban,
    }


def _apply_termination(service_request: ServiceRequest, actor: User) -> str:
    assert service_request.contract is not None  # a change request always has its contract
    contract = service_request.contract
    end_date = datetime.date.fromisoformat(service_request.payload["final_reading_date"])
    summary = _(
        "O contrato n.º %(number)s termina em %(date)s, com a leitura final nessa data."
    ) % {"number": contract.contract_number, "date": end_date.strftime("%d/%m/%Y")}
    service_request.contract = account_changes.terminate_contract(
        contract=contract, end_date=end_date, actor=actor, note=_reason(service_request, summary)
    )
    return summary


def _reason(service_request: ServiceRequest, summary: str) -> str:
    """The note of the contract's event: which request made the change, and what it did."""
    return _("Pedido n.º %(number)s: %(summary)s") % {
        "number": service_request.number,
        "summary": summary,
    }


APPLY: dict[str, Callable[[ServiceRequest, User], str]] = {
    RequestType.E_INVOICE_ON: _apply_e_invoice_on,
    RequestType.E_INVOICE_OFF: _apply_e_invoice_off,
    RequestType.BILLING_ADDRESS: _apply_billing_address,
    RequestType.CONTACT_CHANGE: _apply_contact_change,
    RequestType.DIRECT_DEBIT_ON: _apply_direct_debit_on,
    RequestType.TERMINATION: _apply_termination,
}
