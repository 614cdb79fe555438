"""What a change request asks for, in the words the customer and the clerk read."""

import datetime
import unicodedata

from django.utils.translation import gettext as _

from balcao.service_requests.models import RequestType


def change_details(service_request) -> list[tuple[str, str]]:
    """(label, value) pairs of the change a structured request carries; empty for the others."""
    data = service_request.payload or {}
    kind = service_request.request_type
    if kind == RequestType.E_INVOICE_ON:
        return [
            (_("E-mail para as faturas"), data.get("email", "")),
            (_("Condições de adesão"), _("Lidas e aceites")),
        ]
    if kind == RequestType.DIRECT_DEBIT_ON:
        iban = data.get("iban", "")
        rows = [
            (_("IBAN"), " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))),
            (_("Nome do titular da conta"), data.get("holder_name", "")),
        ]
        if data.get("bic"):
            rows.append((_("BIC/SWIFT"), data["bic"]))
        accepted_on = data.get("accepted_on")
        if accepted_on:
            accepted = datetime.date.fromisoformat(accepted_on).strftime("%d/%m/%Y")
            rows.append(
                (
                    _("Autorização de débito direto"),
                    _("Aceite em %(date)s, %(place)s")
                    % {"date": accepted, "place": data.get("accepted_place", "")},
                )
            )
        return rows
    if kind == RequestType.BILLING_ADDRESS and service_request.new_address_id:
        return [(_("Nova morada de envio das faturas"), str(service_request.new_address))]
    if kind == RequestType.CONTACT_CHANGE:
        return [
            (_("E-mail"), data.get("email") or "—"),
            (_("Telefone"), data.get("phone") or "—"),
            (_("Telemóvel"), data.get("mobile") or "—"),
        ]
    if kind == RequestType.TERMINATION and data.get("final_reading_date"):
        date = datetime.date.fromisoformat(data["final_reading_date"]).strftime("%d/%m/%Y")
        return [(_("Data pretendida para a leitura final"), date)]
    if kind == RequestType.INSTALMENTS and data.get("instalments"):
        return [(_("Número de prestações pedido"), str(data["instalments"]))]
    return []


def _comparable_name(name: str) -> str:
    """A name as people write it differently: no accents, case or extra spaces."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def holder_name_warning(service_request) -> str:
    """For a direct debit request whose account holder is not the contract's holder, what
    the clerk must see before accepting (the debtor may be someone else: a spouse, a company;
    the clerk decides); empty otherwise."""
    if service_request.request_type != RequestType.DIRECT_DEBIT_ON or not service_request.contract:
        return ""
    account_holder = (service_request.payload or {}).get("holder_name", "")
    contract_holder = service_request.contract.customer.name
    if _comparable_name(account_holder) == _comparable_name(contract_holder):
        return ""
    return _(
        "Atenção: o titular da conta bancária indicado (%(account_holder)s) não é o titular do "
        "contrato (%(contract_holder)s). Confirme com o cliente que o titular da conta autoriza "
        "o débito antes de aceitar."
    ) % {"account_holder": account_holder, "contract_holder": contract_holder}
