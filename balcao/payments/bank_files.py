"""The bank's answers to a direct debit file, read with lxml (ISO 20022):

- ``pain.002`` (Customer Payment Status Report): per debit, ``TxSts`` RJCT (rejected or
  returned, with ``StsRsnInf/Rsn/Cd``) or ACSC (settled); other statuses are no news yet.
- ``camt.054`` (Bank-to-Customer Debit/Credit Notification): per entry, a credit (CRDT) is a
  debit collected; a transaction with ``RtrInf/Rsn/Cd`` is an R-transaction (a return,
  refund or reversal) with its reason code.

The version of either message does not matter: elements are found by local name, so
pain.002.001.03 to .10 and camt.054.001.02 to .08 read the same. The SEPA reason codes a
customer may meet are explained in Portuguese in REASONS.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from lxml import etree


class BankFileError(ValueError):
    """A file that is not a pain.002 or camt.054 message; the message says why."""


# The EPC's R-transaction reason codes (SEPA Core rulebook, "Guidance on reason codes"),
# as a customer is told them.
REASONS = {
    "AC01": _("o IBAN indicado na autorização está errado"),
    "AC04": _("a conta bancária foi encerrada"),
    "AC06": _("a conta bancária está bloqueada"),
    "AC13": _("a conta do devedor é de um consumidor e não o admite"),
    "AG01": _("o banco não permite débitos diretos nesta conta"),
    "AG02": _("o código da operação não é válido"),
    "AM04": _("saldo insuficiente na conta na data do débito"),
    "AM05": _("débito em duplicado"),
    "BE05": _("o credor não foi identificado pelo banco"),
    "CNOR": _("o banco do credor não está registado para débitos diretos SEPA"),
    "DNOR": _("o banco do devedor não está registado para débitos diretos SEPA"),
    "FF01": _("o ficheiro tinha um erro de formato"),
    "MD01": _("o banco não tem uma autorização de débito direto válida"),
    "MD02": _("faltam dados da autorização de débito direto, ou estão errados"),
    "MD06": _("o titular da conta pediu ao banco o reembolso do débito"),
    "MD07": _("o titular da conta faleceu"),
    "MS02": _("o titular da conta recusou o débito"),
    "MS03": _("o banco não indicou o motivo"),
    "RC01": _("o código do banco (BIC) está errado"),
    "RR01": _("faltam dados do devedor exigidos por lei"),
    "RR02": _("falta o nome ou a morada do devedor"),
    "RR03": _("falta o nome ou a morada do credor"),
    "RR04": _("motivo regulamentar"),
    "SL01": _("o banco do devedor aplicou uma restrição pedida pelo titular"),
}


def reason_text(code: str) -> str:
    """The reason in Portuguese; an unknown code is named as such."""
    explanation = REASONS.get(code)
    return str(explanation) if explanation else str(_("motivo %(code)s") % {"code": code})


@dataclass(frozen=True)
class BankOutcome:
    """What the bank says of one debit, named by its end-to-end id (the invoice number)."""

    end_to_end_id: str
    settled: bool  # True: collected; False: returned (an R-transaction)
    reason_code: str
    on: datetime.date
    amount: Decimal | None


@dataclass(frozen=True)
class BankFile:
    kind: str  # "pain.002" or "camt.054"
    message_id: str
    outcomes: list[BankOutcome]


def _children(element, name: str) -> list:
    return element.xpath(f"./*[local-name()='{name}']")


def _path(element, path: str) -> list:
    """Descendants along ``A/B/C`` by local name (any namespace)."""
    found = [element]
    for name in path.split("/"):
        found = [child for parent in found for child in _children(parent, name)]
    return found


def _text(element, path: str) -> str:
    found = _path(element, path)
    return (found[0].text or "").strip() if found else ""


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


def _amount(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def read_bank_file(content: bytes) -> BankFile:
    """The outcomes a pain.002 or camt.054 file reports (no network, no DTD, no entities)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise BankFileError(f"Não é um ficheiro XML: {error}") from error
    reports = _children(root, "CstmrPmtStsRpt")
    if reports:
        return _read_pain002(reports[0])
    notifications = _children(root, "BkToCstmrDbtCdtNtfctn")
    if notifications:
        return _read_camt054(notifications[0])
    raise BankFileError("O ficheiro não é um pain.002 nem um camt.054.")


def _read_pain002(report) -> BankFile:
    created = _date(_text(report, "GrpHdr/CreDtTm"))
    outcomes = []
    for transaction in _path(report, "OrgnlPmtInfAndSts/TxInfAndSts"):
        status = _text(transaction, "TxSts")
        on = _date(_text(transaction, "AccptncDtTm")) or created
        end_to_end_id = _text(transaction, "OrgnlEndToEndId")
        if not end_to_end_id or on is None or status not in {"RJCT", "ACSC"}:
            continue
        outcomes.append(
            BankOutcome(
                end_to_end_id=end_to_end_id,
                settled=status == "ACSC",
                reason_code=_text(transaction, "StsRsnInf/Rsn/Cd") if status == "RJCT" else "",
                on=on,
                amount=_amount(_text(transaction, "OrgnlTxRef/Amt/InstdAmt")),
            )
        )
    return BankFile("pain.002", _text(report, "GrpHdr/MsgId"), outcomes)


def _read_camt054(notification) -> BankFile:
    created = _date(_text(notification, "GrpHdr/CreDtTm"))
    outcomes = []
    for entry in _path(notification, "Ntfctn/Ntry"):
        credit = _text(entry, "CdtDbtInd") == "CRDT"
        on = _date(_text(entry, "BookgDt/Dt")) or _date(_text(entry, "ValDt/Dt")) or created
        for details in _path(entry, "NtryDtls/TxDtls"):
            end_to_end_id = _text(details, "Refs/EndToEndId")
            code = _text(details, "RtrInf/Rsn/Cd")
            if not end_to_end_id or on is None or (not code and not credit):
                continue
            amount = _amount(_text(details, "AmtDtls/TxAmt/Amt")) or _amount(_text(details, "Amt"))
            outcomes.append(
                BankOutcome(
                    end_to_end_id=end_to_end_id,
                    settled=not code,
                    reason_code=code,
                    on=on,
                    amount=amount,
                )
            )
    return BankFile("camt.054", _text(notification, "GrpHdr/MsgId"), outcomes)


# What the bank would send: written for the demo and the tests, which import what a bank
# writes (a real pain.002 or camt.054 has these elements; banks add more, which are ignored).
PAIN_002_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
CAMT_054_NS = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


def pain002_report(
    *, message_id: str, original_message_id: str, outcomes: list[BankOutcome]
) -> bytes:
    """A pain.002.001.03 status report of ``outcomes`` (RJCT with reason, or ACSC)."""
    rows = "".join(
        "<TxInfAndSts>"
        f"<OrgnlEndToEndId>{o.end_to_end_id}</OrgnlEndToEndId>"
        f"<TxSts>{'ACSC' if o.settled else 'RJCT'}</TxSts>"
        + ("" if o.settled else f"<StsRsnInf><Rsn><Cd>{o.reason_code}</Cd></Rsn></StsRsnInf>")
        + f"<AccptncDtTm>{o.on.isoformat()}T09:00:00</AccptncDtTm>"
        + (
            f'<OrgnlTxRef><Amt><InstdAmt Ccy="EUR">{o.amount}</InstdAmt></Amt></OrgnlTxRef>'
            if o.amount is not None
            else ""
        )
        + "</TxInfAndSts>"
        for o in outcomes
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{PAIN_002_NS}">'
        "<CstmrPmtStsRpt><GrpHdr>"
        f"<MsgId>{message_id}</MsgId><CreDtTm>{datetime.datetime.now():%Y-%m-%dT%H:%M:%S}</CreDtTm>"
        "</GrpHdr><OrgnlGrpInfAndSts>"
        f"<OrgnlMsgId>{original_message_id}</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.02</OrgnlMsgNmId>"
        f"</OrgnlGrpInfAndSts><OrgnlPmtInfAndSts>{rows}</OrgnlPmtInfAndSts>"
        "</CstmrPmtStsRpt></Document>"
    ).encode()


def camt054_notification(*, message_id: str, iban: str, outcomes: list[BankOutcome]) -> bytes:
    """A camt.054.001.02 notification: one entry per outcome, a credit for a debit collected
    and a debit with RtrInf for a return."""
    entries = "".join(
        "<Ntry>"
        f'<Amt Ccy="EUR">{o.amount}</Amt>'
        f"<CdtDbtInd>{'CRDT' if o.settled else 'DBIT'}</CdtDbtInd><Sts>BOOK</Sts>"
        f"<BookgDt><Dt>{o.on.isoformat()}</Dt></BookgDt>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd>"
        f"<SubFmlyCd>{'ESDD' if o.settled else 'UPDD'}</SubFmlyCd></Fmly></Domn></BkTxCd>"
        "<NtryDtls><TxDtls>"
        f"<Refs><EndToEndId>{o.end_to_end_id}</EndToEndId></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{o.amount}</Amt></TxAmt></AmtDtls>'
        + ("" if o.settled else f"<RtrInf><Rsn><Cd>{o.reason_code}</Cd></Rsn></RtrInf>")
        + "</TxDtls></NtryDtls></Ntry>"
        for o in outcomes
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{CAMT_054_NS}">'
        "<BkToCstmrDbtCdtNtfctn><GrpHdr>"
        f"<MsgId>{message_id}</MsgId><CreDtTm>{datetime.datetime.now():%Y-%m-%dT%H:%M:%S}</CreDtTm>"
        f"</GrpHdr><Ntfctn><Id>{message_id}</Id>"
        f"<Acct><Id><IBAN>{iban}</IBAN></Id></Acct>{entries}</Ntfctn>"
        "</BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()
