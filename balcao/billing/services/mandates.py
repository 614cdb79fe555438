"""Writes of the billing area. For now: direct debit mandates."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from schwifty import IBAN

from balcao.accounts.models import User
from balcao.billing.models import DirectDebitMandate, MandateEvent
from balcao.contracts.models import BillingAccount
from balcao.contracts.services.account_changes import start_direct_debit, stop_direct_debit
from balcao.core.transitions import transition


def _new_reference(account: BillingAccount) -> str:
    # Unique mandate reference (SEPA: up to 35 characters): the account and a random tail.
    return f"ADD-{account.account_number}-{secrets.token_hex(4).upper()}"


@transaction.atomic
def create_mandate(
    *,
    account: BillingAccount,
    debtor_name: str,
    debtor_address: str,
    iban: str,
    bic: str = "",
    signed_at: datetime.date,
    signed_place: str,
    authorisation_text: str,
    actor: User | None = None,
) -> DirectDebitMandate:
    """Record the debtor's SEPA Core mandate (DOMAIN.md, "Direct debit") and switch the
    account's invoices to direct debit.

    The creditor's name, address and identifier come from settings.UTILITY; an earlier
    active mandate of the account is cancelled (with its event), so an account has one
    mandate in force.
    """
    reference = _new_reference(account)
    now = timezone.now()
    replaced = DirectDebitMandate.objects.select_for_update().filter(
        account=account, status=DirectDebitMandate.Status.ACTIVE
    )
    for old in replaced:
        old.cancelled_at = now
        transition(
            old,
            DirectDebitMandate.Status.CANCELLED,
            actor=actor,
            note=_("Substituída pela autorização %(reference)s.") % {"reference": reference},
            fields=["cancelled_at"],
        )
    mandate = DirectDebitMandate(
        reference=reference,
        account=account,
        debtor_name=debtor_name,
        debtor_address=debtor_address,
        iban=IBAN(iban).compact,
        bic=bic.replace(" ", "").upper(),
        creditor_name=settings.UTILITY["name"],
        creditor_address=settings.UTILITY["address"],
        creditor_identifier=settings.UTILITY["creditor_id"],
        payment_type=DirectDebitMandate.PaymentType.RECURRENT,
        signed_at=signed_at,
        signed_place=signed_place,
        authorisation_text=authorisation_text,
    )
    mandate.full_clean()
    mandate.save()
    start_direct_debit(account=account)
    return mandate


class NoMandateInForce(ValueError):
    """The account has no direct debit to revoke."""


@transaction.atomic
def revoke_mandate(*, account: BillingAccount, actor: User | None) -> DirectDebitMandate | None:
    """The debtor revokes their mandate (SEPA Core: the debtor's right, in force at once,
    without a clerk): the mandate is cancelled with the date (MandateEvent "revoked") and the
    account leaves direct debit (contracts' ``stop_direct_debit``, a ContractEvent on each of
    its contracts). Its open invoices show their Multibanco reference from now on
    (documents.multibanco_for). NoMandateInForce if there is nothing to revoke.
    """
    mandate = (
        DirectDebitMandate.objects.select_for_update()
        .filter(account=account, status=DirectDebitMandate.Status.ACTIVE)
        .first()
    )
    if mandate is None and not account.direct_debit:
        raise NoMandateInForce(account.account_number)
    note = _("Débito direto desativado pelo titular no Balcão Digital.")
    if mandate is not None:
        mandate.cancelled_at = timezone.now()
        transition(
            mandate,
            DirectDebitMandate.Status.CANCELLED,
            actor=actor,
            kind=MandateEvent.Kind.REVOKED,
            note=note,
            fields=["cancelled_at"],
        )
    stop_direct_debit(account=account, actor=actor, reason=note)
    return mandate  # None: an account on direct debit without a mandate (legacy data)
