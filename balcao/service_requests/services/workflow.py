"""A request's life (manual 6.5): submitted with its gapless number, followed up by the
customer, moved by the clerks.

The status moves only through ``_transition``, which moves it with core's ``transition``
(ServiceRequest.TRANSITIONS, the RequestEvent; TransitionNotAllowed when the table refuses)
and tells the customer by the channel they chose (after commit).
"""

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import Invoice
from balcao.contracts.models import BillingAccount, Contract
from balcao.core.mail import count_unconfirmed_mail, is_confirmed_address, send_templated_email
from balcao.core.models import Address
from balcao.core.transitions import check_transition, transition
from balcao.service_requests.models import (
    REJECTABLE_TYPES,
    STRUCTURED_TYPES,
    TYPES_ABOUT_AN_INVOICE,
    TYPES_DECIDED_ELSEWHERE,
    TYPES_WITHOUT_CONTRACT,
    Channel,
    RequestAttachment,
    RequestCounter,
    RequestEvent,
    ServiceRequest,
)
from balcao.service_requests.services.changes import APPLY, ChangeNotPossible, change_not_possible

# The manual's example request is n.º 3884827: the sequence continues from there.
FIRST_REQUEST_NUMBER = 3884827
SEQUENCE = "pedidos"


class RequestActionError(Exception):
    """A staff action that this type of request does not take (reject an information request,
    answer and close a change request); a stale status raises TransitionNotAllowed instead."""


def _lock_counter() -> RequestCounter:
    """The sequence's counter row, locked until the transaction ends: one submission at a
    time. The first ever submissions may race to create it: the loser's insert is ignored."""
    counter = RequestCounter.objects.select_for_update().filter(name=SEQUENCE).first()
    if counter is None:
        RequestCounter.objects.bulk_create(
            [RequestCounter(name=SEQUENCE, last_value=FIRST_REQUEST_NUMBER - 1)],
            ignore_conflicts=True,
        )
        counter = RequestCounter.objects.select_for_update().get(name=SEQUENCE)
    return counter


def _next_number(counter: RequestCounter) -> int:
    """The next request number, gapless: the counter row stays locked until the transaction
    that uses the number commits, and goes back with it on a rollback."""
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value


def _record(
    service_request: ServiceRequest,
    *,
    kind: str,
    actor: User | None,
    to_status: str = "",
    note: str = "",
) -> None:
    """An event that moves no status (submitted, notified); moves record through _transition."""
    RequestEvent.objects.create(
        request=service_request, actor=actor, kind=kind, to_status=to_status, note=note
    )


def _notify(service_request: ServiceRequest, *, actor: User | None) -> None:
    """Tell the customer about the request's state by the channel they chose (manual 6.5
    note: "através do endereço do e-mail ou telefonicamente, conforme indicado no Pedido").

    E-mail goes after commit; for Telefone or Nenhum the event records that no e-mail went,
    so the clerk knows to phone (or that the customer asked for no answer).
    """
    if service_request.channel == Channel.EMAIL and service_request.contact_value:
        user = service_request.user
        # To an address the customer has not confirmed, nothing the customer wrote (not even
        # the name): only the number, the type and the state, and the clerk's answer.
        own = is_confirmed_address(user, service_request.contact_value)
        send_templated_email(
            to=service_request.contact_value,
            template="service_requests_status",
            context={"service_request": service_request, "user": user if own else None},
            language=getattr(user, "language", None),
        )
        note = _("E-mail enviado para %(email)s.") % {"email": service_request.contact_value}
    elif service_request.channel == Channel.PHONE:
        note = _("Resposta por telefone: %(phone)s.") % {"phone": service_request.contact_value}
    else:
        note = _("O cliente não pediu resposta (canal Nenhum).")
    _record(service_request, kind=RequestEvent.Kind.NOTIFIED, actor=actor, note=note)


def _transition(
    service_request: ServiceRequest, *, to_status: str, kind: str, actor: User, note: str = ""
) -> None:
    """A request's status move (STYLE.md: a declared table), its event, and the customer told."""
    check_transition(service_request, to_status)
    fields = []
    if to_status == ServiceRequest.Status.CLOSED:
        service_request.closed_at = timezone.now()
        fields += ["closed_at", "outcome", "resolution"]
    transition(
        service_request,
        to_status,
        kind=kind,
        actor=actor,
        note=note,
        fields=fields,
        from_status=service_request.status,
        to_status=to_status,
    )
    _notify(service_request, actor=actor)


def _close(
    service_request: ServiceRequest,
    *,
    outcome: str,
    resolution: str,
    kind: str,
    actor: User,
    note: str = "",
) -> ServiceRequest:
    """Close the request with its outcome and the resolution the customer reads."""
    service_request.outcome = outcome
    service_request.resolution = resolution
    _transition(
        service_request, to_status=ServiceRequest.Status.CLOSED, kind=kind, actor=actor, note=note
    )
    return service_request


def _locked(service_request: ServiceRequest) -> ServiceRequest:
    """The request re-read under a row lock: two clerks (or a double click) act once."""
    return (
        ServiceRequest.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer joins
        .select_related("user", "contract__account", "contract__customer", "new_address")
        .get(pk=service_request.pk)
    )


@transaction.atomic
def submit_request(
    *,
    user: User,
    request_type: str,
    contract: Contract | None,
    channel: str,
    contact_value: str,
    description: str = "",
    payload: dict[str, Any] | None = None,
    new_address: Address | None = None,
    attachments: Iterable[Any] = (),  # UploadedFile with .checked_content_type (forms)
    submission_key: uuid.UUID | None = None,
    invoice: Invoice | None = None,
) -> ServiceRequest:
    """Register a customer's request ("Novo pedido" → "Submeter", manual 6.5 point 3).

    It gets the next number of the gapless sequence. A change request is refused
    (ChangeNotPossible, a ValidationError saying why: change_not_possible) for an ended
    contract, for a change the account has already, and while the same change is pending
    (manual 6.2 point 2); nothing in the contract changes until a clerk accepts it. The
    same form sent twice (same ``submission_key``, even at the same moment) is one
    request: the second gets the first one back.

    ``invoice``: the invoice a complaint contests or a payment plan is asked for (issue 13);
    it must be the contract's.
    """
    if contract is None and request_type not in TYPES_WITHOUT_CONTRACT:
        raise ValidationError(_("Escolha o contrato a que o pedido diz respeito."))
    if invoice is not None and (
        request_type not in TYPES_ABOUT_AN_INVOICE
        or contract is None
        or invoice.contract_id != contract.pk
    ):
        raise ValidationError(_("Este pedido não pode ser sobre esta fatura."))
    # Taken first, so that a twin submission waits here and then sees the first one's row.
    counter = _lock_counter()
    if submission_key is not None:
        existing = ServiceRequest.objects.filter(idempotency_key=submission_key).first()
        if existing is not None:
            if existing.user_id != user.pk or existing.request_type != request_type:
                raise ValidationError(_("Este formulário já foi usado. Volte a abrir a página."))
            return existing
    if request_type in STRUCTURED_TYPES:
        assert contract is not None  # a change request always has its contract
        # Lock the account row so that two submissions of the same change queue up, and
        # judge the change on the account as it is now.
        account = BillingAccount.objects.select_for_update().get(pk=contract.account_id)
        reason = change_not_possible(contract, request_type, account=account)
        if reason is not None:
            raise ChangeNotPossible(reason)
    if new_address is not None:
        new_address.full_clean()
        new_address.save()
    service_request = ServiceRequest.objects.create(
        number=_next_number(counter),
        user=user,
        contract=contract,
        request_type=request_type,
        description=description.strip(),
        channel=channel,
        contact_value=contact_value.strip() if channel != Channel.NONE else "",
        payload=payload or {},
        new_address=new_address,
        invoice=invoice,
        submitted_at=timezone.now(),
        idempotency_key=submission_key,
    )
    for upload in attachments:
        RequestAttachment.objects.create(
            request=service_request,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.checked_content_type,
            size=upload.size,
        )
    _record(
        service_request,
        kind=RequestEvent.Kind.SUBMITTED,
        actor=user,
        to_status=ServiceRequest.Status.SUBMITTED,
    )
    _notify(service_request, actor=user)
    if service_request.channel == Channel.EMAIL:
        count_unconfirmed_mail(user, service_request.contact_value)
    return service_request


# The longest message a customer may add to a request (a textarea's worth).
MAX_MESSAGE_LENGTH = 2000


@transaction.atomic
def add_message(*, service_request: ServiceRequest, user: User, text: str) -> RequestEvent:
    """The customer's message on an open request: one more line in its history, which the
    clerk reads in the back office (issue 11, item 12). Raises RequestActionError once the
    request is closed."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Escreva a mensagem que quer juntar ao pedido."))
    locked = _locked(service_request)
    if not locked.is_open:
        raise RequestActionError(
            _("Este pedido já está fechado: para continuar o assunto, faça um novo pedido.")
        )
    return RequestEvent.objects.create(
        request=locked, actor=user, kind=RequestEvent.Kind.MESSAGE, note=text
    )


@transaction.atomic
def withdraw(*, service_request: ServiceRequest, user: User) -> ServiceRequest:
    """ "Retirar o pedido": closed by its customer while nobody has started it (Submetido →
    Fechado, outcome Retirado); the clerks' queue no longer counts it. Once a clerk has it
    ("Em resolução"), RequestActionError: the customer adds a message instead."""
    locked = _locked(service_request)
    if not locked.can_be_withdrawn:
        raise RequestActionError(
            _(
                "Este pedido já está a ser tratado e não pode ser retirado. Se já não precisa "
                "dele, junte uma mensagem ao pedido a dizê-lo."
            )
        )
    return _close(
        locked,
        outcome=ServiceRequest.Outcome.WITHDRAWN,
        resolution=_("Pedido retirado pelo cliente."),
        kind=RequestEvent.Kind.WITHDRAWN,
        actor=user,
    )


@transaction.atomic
def start_resolution(*, service_request: ServiceRequest, actor: User) -> ServiceRequest:
    """ "Em resolução": a clerk takes the request (manual 6.5: Submetido → Em resolução)."""
    locked = _locked(service_request)
    _transition(
        locked,
        to_status=ServiceRequest.Status.IN_PROGRESS,
        kind=RequestEvent.Kind.IN_PROGRESS,
        actor=actor,
    )
    return locked


@transaction.atomic
def answer_and_close(
    *, service_request: ServiceRequest, actor: User, resolution: str
) -> ServiceRequest:
    """ "Responder e fechar": the resolution the customer reads when the request is closed
    (manual 6.5), sent by the channel the customer chose."""
    if not resolution.strip():
        raise ValidationError(_("Escreva a resposta ao cliente."))
    locked = _locked(service_request)
    if (locked.is_structured or locked.is_decided_elsewhere) and locked.is_open:
        # A structured request is closed by accepting or rejecting the change, so that
        # a closed change request always says what happened to the contract.
        raise RequestActionError(
            _("Este pedido altera o contrato: use «Aceitar e aplicar» ou «Rejeitar».")
        )
    return _close(
        locked,
        outcome=ServiceRequest.Outcome.ANSWERED,
        resolution=resolution.strip(),
        kind=RequestEvent.Kind.ANSWERED,
        actor=actor,
        note=resolution.strip(),
    )


@transaction.atomic
def reject(*, service_request: ServiceRequest, actor: User, reason: str) -> ServiceRequest:
    """ "Rejeitar": close a change request without touching the contract; the reason is the
    resolution the customer reads."""
    if not reason.strip():
        raise ValidationError(_("Indique o motivo da rejeição."))
    locked = _locked(service_request)
    if locked.request_type not in REJECTABLE_TYPES:
        raise RequestActionError(
            _(
                "Só os pedidos de alteração, as reclamações e os pedidos de prestações "
                "podem ser rejeitados."
            )
        )
    return _close(
        locked,
        outcome=ServiceRequest.Outcome.REJECTED,
        resolution=reason.strip(),
        kind=RequestEvent.Kind.REJECTED,
        actor=actor,
        note=reason.strip(),
    )


@transaction.atomic
def accept_and_apply(
    *, service_request: ServiceRequest, actor: User, message: str = ""
) -> ServiceRequest:
    """ "Aceitar e aplicar": apply the change a structured request carries, and close it
    (manual 6.2 point 2: the change reaches the contract only after the customer service's
    intervention).

    The request is re-read with a row lock and must still be open, so a double click or
    two clerks at once apply the change exactly once; the change and the closing commit
    together or not at all.
    """
    locked = _locked(service_request)
    if not locked.is_structured:
        raise RequestActionError(_("Este pedido não altera o contrato: responda e feche."))
    # Before the change is applied: a request closed meanwhile applies nothing again.
    check_transition(locked, ServiceRequest.Status.CLOSED)
    summary = APPLY[locked.request_type](locked, actor)
    return _close(
        locked,
        outcome=ServiceRequest.Outcome.ACCEPTED,
        resolution=message.strip() or summary,
        kind=RequestEvent.Kind.ACCEPTED,
        actor=actor,
        note=summary,
    )


@transaction.atomic
def close_accepted(
    *, service_request: ServiceRequest, actor: User, resolution: str
) -> ServiceRequest:
    """Close as "Aceite e aplicado" a request whose acceptance another area carried out in
    the same transaction (a payment plan's instalments, balcao.payments); ``resolution``
    says what was granted. Raises TransitionNotAllowed when the request is closed already."""
    locked = _locked(service_request)
    if locked.request_type not in TYPES_DECIDED_ELSEWHERE:
        raise RequestActionError(_("Este pedido não é aceite deste modo."))
    return _close(
        locked,
        outcome=ServiceRequest.Outcome.ACCEPTED,
        resolution=resolution.strip(),
        kind=RequestEvent.Kind.ACCEPTED,
        actor=actor,
        note=resolution.strip(),
    )
