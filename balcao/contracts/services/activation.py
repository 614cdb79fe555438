"""Activation by the e-mail's link or the letter's code (manual section 2, point 3)."""

import datetime
import enum
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts import activation_keys, selectors
from balcao.contracts.models import ActivationKey, Subscription
from balcao.contracts.services.evaluation import queue_letter, send_link
from balcao.contracts.services.workflow import (
    MAX_WRONG_CODES,
    NEW_LETTER_INTERVAL,
    NEW_LINK_INTERVAL,
    Kind,
    Status,
    SubscriptionRuleError,
    lock_row,
    record_event,
    revoke_keys,
)
from balcao.core.transitions import transition


class Outcome(enum.Enum):
    ACTIVATED = "activated"
    WRONG = "wrong"
    LOCKED = "locked"
    EXPIRED = "expired"
    USED = "used"
    NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class ActivationResult:
    outcome: Outcome
    subscription: Subscription | None = None
    attempts_left: int = 0


def _activate(subscription: Subscription, key: ActivationKey, *, actor: User, via: str) -> None:
    now = timezone.now()
    key.used_at = now
    key.save(update_fields=["used_at"])
    revoke_keys(subscription, now)
    assert subscription.contract is not None  # approved: it has its contract
    if selectors.user_holds(subscription.user, subscription.contract):
        # Already theirs through another subscription: this one has nothing left to do.
        transition(
            subscription,
            Status.REMOVED,
            kind=Kind.REMOVED,
            actor=actor,
            note=_("O utilizador já tinha este contrato ativo."),
        )
        return
    subscription.activated_at = now
    subscription.failed_code_attempts = 0
    transition(
        subscription,
        Status.ACTIVE,
        kind=Kind.ACTIVATED,
        actor=actor,
        note=via,
        fields=["activated_at", "failed_code_attempts"],
    )


@transaction.atomic
def activate_by_link(*, user: User, token: str) -> ActivationResult | None:
    """The e-mail's link (manual section 2, 3a): single use, 24 hours, for its own user only.

    None when the token is unknown or belongs to someone else (the view answers 404).
    """
    key = (
        ActivationKey.objects.select_for_update(of=("self",))
        .select_related("subscription")
        .filter(digest=activation_keys.digest(token), channel=Subscription.Channel.EMAIL)
        .first()
    )
    if key is None or key.subscription.user_id != user.pk:
        return None
    subscription = lock_row(key.subscription)
    if key.used_at is not None:
        return ActivationResult(Outcome.USED, subscription)
    if (
        key.revoked_at is not None
        or key.expires_at <= timezone.now()
        or subscription.status != Status.AWAITING_ACTIVATION
    ):
        record_event(
            subscription, Kind.EXPIRED_CODE, user, _("Ligação de e-mail expirada ou anulada.")
        )
        return ActivationResult(Outcome.EXPIRED, subscription)
    _activate(subscription, key, actor=user, via=_("Por ligação de e-mail."))
    return ActivationResult(Outcome.ACTIVATED, subscription)


@transaction.atomic
def activate_by_code(*, subscription: Subscription, code: str, user: User) -> ActivationResult:
    """ "Código de ativação" → "Validar" (manual section 2, 3b).

    The code is compared only with this subscription's own letter codes. A wrong code
    counts, whether or not the subscription was approved, so that the answer never
    tells; the fifth wrong code locks the subscription and voids its codes.
    """
    subscription = lock_row(subscription)
    if subscription.user_id != user.pk or not subscription.waits_for_letter:
        return ActivationResult(Outcome.NOT_ALLOWED, subscription)
    now = timezone.now()
    typed = activation_keys.normalise_code(code)
    keys = subscription.keys.filter(
        channel=Subscription.Channel.LETTER, used_at__isnull=True, revoked_at__isnull=True
    )
    for key in keys:
        if activation_keys.matches(typed, key.digest):
            if key.expires_at <= now:
                record_event(subscription, Kind.EXPIRED_CODE, user)
                return ActivationResult(Outcome.EXPIRED, subscription)
            _activate(subscription, key, actor=user, via=_("Por código de carta."))
            return ActivationResult(Outcome.ACTIVATED, subscription)
    subscription.failed_code_attempts += 1
    subscription.save(update_fields=["failed_code_attempts"])
    attempts = subscription.failed_code_attempts
    record_event(subscription, Kind.WRONG_CODE, user, _("Tentativa %(n)d.") % {"n": attempts})
    if attempts >= MAX_WRONG_CODES:
        revoke_keys(subscription, now)
        # A letter not yet printed would carry a code for a locked subscription.
        subscription.letters.filter(printed_at__isnull=True).delete()
        transition(subscription, Status.LOCKED, kind=Kind.LOCKED, actor=user)
        return ActivationResult(Outcome.LOCKED, subscription)
    return ActivationResult(Outcome.WRONG, subscription, MAX_WRONG_CODES - attempts)


def next_letter_allowed_at(subscription: Subscription) -> datetime.datetime:
    """A new letter once a week: counted from the request, or from the last new letter asked.

    Counted the same way whether or not the subscription was approved, so that the
    answer never tells.
    """
    last = (
        subscription.events.filter(kind=Kind.NEW_LETTER_REQUESTED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return max(subscription.created_at, last or subscription.created_at) + NEW_LETTER_INTERVAL


@transaction.atomic
def request_new_code(*, subscription: Subscription, user: User) -> datetime.datetime | None:
    """ "Pedir nova carta" (or a new e-mail link). Returns None when done, or when it will be
    allowed if it is too soon."""
    subscription = lock_row(subscription)
    if subscription.user_id != user.pk:
        raise SubscriptionRuleError(_("Este pedido não é seu."))
    now = timezone.now()
    if (
        subscription.status == Status.AWAITING_ACTIVATION
        and subscription.activation_channel == Subscription.Channel.EMAIL
    ):
        last = subscription.events.filter(kind=Kind.LINK_EMAILED).order_by("-at").first()
        if last and now < last.at + NEW_LINK_INTERVAL:
            return last.at + NEW_LINK_INTERVAL
        send_link(subscription, actor=user)
        return None
    if not (subscription.waits_for_letter or subscription.status == Status.LOCKED):
        raise SubscriptionRuleError(_("Este pedido não aguarda um código."))
    allowed_at = next_letter_allowed_at(subscription)
    if now < allowed_at:
        return allowed_at
    subscription.failed_code_attempts = 0
    if subscription.status == Status.LOCKED:
        # Never approved: back to the staff's queue; the user is told the same either way.
        to = Status.EVALUATING if subscription.contract_id is None else Status.AWAITING_ACTIVATION
        transition(
            subscription,
            to,
            kind=Kind.NEW_LETTER_REQUESTED,
            actor=user,
            fields=["failed_code_attempts"],
        )
    else:
        subscription.save(update_fields=["failed_code_attempts"])
        record_event(subscription, Kind.NEW_LETTER_REQUESTED, user)
    if subscription.contract_id is not None:
        revoke_keys(subscription, now)
        queue_letter(subscription, actor=user)
    return None
