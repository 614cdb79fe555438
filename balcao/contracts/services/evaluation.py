"""Adding a contract and its evaluation (manual section 2, point 2 and its "Nota importante")."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts import activation_keys, selectors
from balcao.contracts.models import ActivationKey, Contract, Letter, Subscription
from balcao.contracts.services.workflow import (
    LINK_VALIDITY,
    MAX_PENDING_PER_USER,
    NEW_LETTER_INTERVAL,
    Kind,
    Status,
    SubscriptionRuleError,
    lock_row,
    record_event,
    revoke_keys,
)
from balcao.core.links import absolute_url
from balcao.core.mail import send_templated_email
from balcao.core.transitions import transition


@transaction.atomic
def submit_subscription(
    *,
    user: User,
    product: str,
    cil: str,
    customer_number: str,
    account_number: str,
    custom_name: str,
) -> Subscription:
    """Adicionar um contrato → "Enviar para avaliação" (manual section 2, point 2).

    The numbers are kept as typed. When they match one active contract and
    SUBSCRIPTION_AUTO_EVALUATION is on, the evaluation passes at once and activation
    starts; otherwise the subscription waits in the staff's queue. Either way the
    user is told the same thing.

    The rules (not the same numbers twice, at most MAX_PENDING_PER_USER waiting) are
    checked under a lock on the user's row, so that the same form sent six times at
    once makes one request (issue 9, item 5). Raises SubscriptionRuleError.
    """
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if selectors.has_open_request(
        user, cil=cil, customer_number=customer_number, account_number=account_number
    ):
        raise SubscriptionRuleError(
            _("Já tem um pedido ou um contrato com estes números em «Os meus contratos».")
        )
    if selectors.count_pending(user) >= MAX_PENDING_PER_USER:
        raise SubscriptionRuleError(
            _(
                "Tem muitos pedidos em avaliação. Aguarde a resposta aos pedidos que já "
                "fez antes de adicionar outro contrato."
            )
        )
    subscription = Subscription.objects.create(
        user=user,
        product=product,
        cil=cil,
        customer_number=customer_number,
        account_number=account_number,
        custom_name=custom_name,
        status=Status.EVALUATING,
    )
    record_event(subscription, Kind.CREATED, actor=user)
    if settings.SUBSCRIPTION_AUTO_EVALUATION:
        contract = selectors.matching_contract(
            cil=cil, customer_number=customer_number, account_number=account_number
        )
        if contract is not None and not selectors.user_holds(user, contract):
            _approve(
                subscription,
                contract,
                actor=None,
                note=_("Avaliação automática: os três números correspondem ao contrato."),
            )
    return subscription


@transaction.atomic
def approve_subscription(
    *, subscription: Subscription, contract: Contract, clerk: User
) -> Subscription:
    """ "Aprovar e enviar código": the clerk chose the contract; activation starts."""
    subscription = lock_row(subscription)
    if subscription.status != Status.EVALUATING:
        raise SubscriptionRuleError(_("Esta subscrição já não está em avaliação."))
    if not contract.is_active:
        raise SubscriptionRuleError(_("O contrato escolhido não está ativo."))
    if selectors.user_holds(subscription.user, contract):
        raise SubscriptionRuleError(_("Este utilizador já tem este contrato ativo."))
    _approve(subscription, contract, actor=clerk, note=_("Aprovado pelo atendimento."))
    return subscription


@transaction.atomic
def reject_subscription(*, subscription: Subscription, reason: str, clerk: User) -> Subscription:
    """ "Rejeitar": the reason is shown to the user (and e-mailed when the e-mail is confirmed)."""
    subscription = lock_row(subscription)
    if subscription.status != Status.EVALUATING:
        raise SubscriptionRuleError(_("Esta subscrição já não está em avaliação."))
    reason = reason.strip()
    if not reason:
        raise SubscriptionRuleError(_("Indique o motivo da rejeição."))
    subscription.rejection_reason = reason
    transition(
        subscription,
        Status.REJECTED,
        kind=Kind.REJECTED,
        actor=clerk,
        note=reason,
        fields=["rejection_reason"],
    )
    user = subscription.user
    if user.email and user.email_confirmed_at:
        send_templated_email(
            to=user.email,
            template="contracts_rejected",
            context={"subscription": subscription, "reason": reason, "user": user},
            language=user.language,
        )
    return subscription


def _approve(
    subscription: Subscription, contract: Contract, *, actor: User | None, note: str
) -> None:
    """Manual section 2, "Nota importante": the key goes by e-mail only when the user's
    confirmed e-mail is the e-mail on record for the contract; otherwise by letter to
    the holder's correspondence address."""
    subscription.contract = contract
    user = subscription.user
    holder_email = subscription.contract.customer.email
    same_email = bool(
        user.email_confirmed_at
        and user.email
        and holder_email
        and user.email.casefold() == holder_email.casefold()
    )
    channel = Subscription.Channel.EMAIL if same_email else Subscription.Channel.LETTER
    subscription.activation_channel = channel
    note = f"{note} " + _("Ativação por: %(channel)s.") % {"channel": channel.label}
    letter_waits = not same_email and letter_this_week(subscription)
    if letter_waits:
        note += " " + _(
            "Já saiu uma carta para este contrato e utilizador há menos de uma semana: "
            "a nova carta só pode ser pedida daqui a uma semana."
        )
    transition(
        subscription,
        Status.AWAITING_ACTIVATION,
        kind=Kind.APPROVED,
        actor=actor,
        note=note,
        fields=["contract", "activation_channel"],
    )
    if same_email:
        send_link(subscription, actor=actor)
    elif not letter_waits:
        queue_letter(subscription, actor=actor)


def letter_this_week(subscription: Subscription) -> bool:
    """True when another of the user's subscriptions to the same contract had a letter in the
    last NEW_LETTER_INTERVAL: withdrawing and adding the contract again does not print a
    letter more often than "Pedir nova carta" would (issue 9, item 5). Letters deleted
    before printing (on withdrawal, on a lock) never went out and do not count."""
    assert subscription.contract_id is not None  # approved: it has its contract
    return (
        Letter.objects.filter(
            subscription__user_id=subscription.user_id,
            subscription__contract_id=subscription.contract_id,
            created_at__gt=timezone.now() - NEW_LETTER_INTERVAL,
        )
        .exclude(subscription_id=subscription.pk)
        .exists()
    )


def send_link(subscription: Subscription, *, actor: User | None) -> None:
    assert subscription.contract is not None  # approved: it has its contract
    now = timezone.now()
    revoke_keys(subscription, now)
    token = activation_keys.new_token()
    key = ActivationKey.objects.create(
        subscription=subscription,
        channel=Subscription.Channel.EMAIL,
        digest=activation_keys.digest(token),
        expires_at=now + LINK_VALIDITY,
    )
    user = subscription.user
    send_templated_email(
        to=user.email,
        template="contracts_activation_link",
        context={
            "user": user,
            "subscription": subscription,
            "contract_number": subscription.contract.contract_number,
            "url": absolute_url(reverse("contracts:activate", args=[token])),
            "valid_until": key.expires_at,
        },
        language=user.language,
    )
    record_event(subscription, Kind.LINK_EMAILED, actor)


def queue_letter(subscription: Subscription, *, actor: User | None) -> None:
    """A letter waits for "Imprimir cartas"; one pending letter per subscription is enough."""
    if subscription.letters.filter(printed_at__isnull=True).exists():
        return
    assert subscription.contract is not None  # approved: it has its contract
    if letter_this_week(subscription):
        return
    customer = subscription.contract.customer
    Letter.objects.create(
        subscription=subscription,
        recipient_name=customer.name,
        address_lines="\n".join(customer.correspondence_address.lines()),
    )
    record_event(subscription, Kind.LETTER_QUEUED, actor)
