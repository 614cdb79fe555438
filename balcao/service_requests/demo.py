"""Demo requests: every state for the demo users, made through the same services as the portal.

Ana has a closed request with its resolution, one in resolution, a pending change of her
contract (so the contract page shows "Alteração pendente") and an accepted one; bruno and
legado give the clerk's queue something to do. Dates are set back relative to ``today``.
"""

import datetime

from django.utils import timezone

from balcao.accounts.models import User
from balcao.contracts.models import Subscription
from balcao.service_requests import services
from balcao.service_requests.models import Channel, RequestEvent, RequestType, ServiceRequest


def _backdate(service_request, submitted: datetime.datetime, closed=None) -> None:
    """Move a request's dates (and its events') into the past, keeping their order."""
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        submitted_at=submitted, closed_at=closed
    )
    events = list(service_request.events.order_by("at", "pk"))
    end = closed or submitted + datetime.timedelta(minutes=10)
    step = (end - submitted) / max(len(events), 1)
    for index, event in enumerate(events):
        RequestEvent.objects.filter(pk=event.pk).update(at=submitted + step * index)


def _contract(user, name):
    subscription = (
        Subscription.objects.filter(user=user, custom_name=name, status="active")
        .select_related("contract__account", "contract__customer")
        .first()
    )
    return subscription.contract if subscription else None


def seed(*, rng, today: datetime.date, stdout) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["ana", "bruno", "legado"])}
    clerk = User.objects.filter(username="atendimento").first()
    ana, bruno = users.get("ana"), users.get("bruno")
    if ana is None or clerk is None:
        return
    casa, loja = _contract(ana, "Casa"), _contract(ana, "Loja")
    noon = datetime.time(11, 30)

    def at(days_ago: int) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days_ago), noon)
        )

    def submit(user, request_type, contract, description="", **kwargs):
        kwargs.setdefault("channel", Channel.EMAIL)
        kwargs.setdefault("contact_value", user.email)
        return services.submit_request(
            user=user,
            request_type=request_type,
            contract=contract,
            description=description,
            **kwargs,
        )

    made = 0
    # Closed, with the utility's answer (manual 6.5: the resolution the customer reads).
    info = submit(
        ana,
        RequestType.INFORMATION,
        None,
        "Gostaria de saber se posso pagar as faturas em atraso em prestações.",
    )
    services.start_resolution(service_request=info, actor=clerk)
    services.answer_and_close(
        service_request=info,
        actor=clerk,
        resolution=(
            "Bom dia. Sim, pode pedir o pagamento em prestações (até 6) no balcão de "
            "atendimento ou por este canal, indicando as faturas em causa. Com os melhores "
            "cumprimentos, Serviço de Apoio ao Cliente."
        ),
    )
    _backdate(info, at(60), at(57))
    made += 1

    if casa is not None:
        # Accepted change: the contract's contacts were updated.
        contact = submit(
            ana,
            RequestType.CONTACT_CHANGE,
            casa,
            payload={
                "email": "ana.silva@example.pt",
                "phone": "244123456",
                "mobile": "912345678",
            },
        )
        services.accept_and_apply(service_request=contact, actor=clerk)
        _backdate(contact, at(40), at(38))
        # In resolution.
        no_water = submit(
            ana,
            RequestType.LOW_PRESSURE,
            casa,
            "Desde ontem a pressão da água no 2.º andar é muito baixa, sobretudo à noite.",
            channel=Channel.PHONE,
            contact_value=ana.mobile or "912345678",
        )
        services.start_resolution(service_request=no_water, actor=clerk)
        _backdate(no_water, at(3))
        made += 2
    if loja is not None:
        # Submitted change: the Loja contract page says "Alteração pendente".
        if loja.account.e_invoice:
            e_invoice = submit(ana, RequestType.E_INVOICE_OFF, loja)
        else:
            e_invoice = submit(
                ana,
                RequestType.E_INVOICE_ON,
                loja,
                payload={"email": "loja.ana@example.pt", "accepted_terms": True},
            )
        _backdate(e_invoice, at(1))
        made += 1
    if bruno is not None:
        bruno_casa = _contract(bruno, "Casa")
        if bruno_casa is not None:
            complaint = submit(
                bruno,
                RequestType.COMPLAINT,
                bruno_casa,
                "A última fatura tem um consumo muito acima do habitual; peço a verificação.",
            )
            _backdate(complaint, at(2))
            rejected = submit(
                bruno,
                RequestType.TERMINATION,
                bruno_casa,
                payload={"final_reading_date": (today - datetime.timedelta(days=20)).isoformat()},
                channel=Channel.NONE,
                contact_value="",
            )
            services.reject(
                service_request=rejected,
                actor=clerk,
                reason=(
                    "A rescisão tem de ser pedida pelo titular do contrato com a leitura final "
                    "marcada; contacte-nos para agendar."
                ),
            )
            _backdate(rejected, at(30), at(29))
            made += 2
    legado = users.get("legado")
    if legado is not None:
        subscription = legado.subscriptions.filter(status="active").order_by("pk").first()
        burst = submit(
            legado,
            RequestType.BURST if subscription else RequestType.INFORMATION,
            subscription.contract if subscription else None,
            "Há água a correr na berma da estrada, junto à paragem do autocarro.",
            channel=Channel.NONE,
            contact_value="",
        )
        _backdate(burst, at(0))
        made += 1
    stdout.write(f"  pedidos de demonstração: {made}")
