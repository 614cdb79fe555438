"""Demo: subscriptions in every state, for the staff's queue and the letters to print.

Users (password "Leiria-2026!"): carlos, diana and eduardo. Everything goes through the
services, so each subscription has its real events; the free contracts 200001/200002
and the personas' contracts are left alone.
"""

import datetime

from django.utils import timezone

from balcao.accounts.demo import demo_user
from balcao.accounts.models import User
from balcao.contracts import services
from balcao.contracts.demo import PERSONAS
from balcao.contracts.letters import store_letter
from balcao.contracts.models import Contract, Letter, Subscription, SubscriptionEvent


def _numbers(contract, **changes) -> dict:
    data = {
        "product": "water_sanitation",
        "cil": contract.installation.cil,
        "customer_number": contract.customer.customer_number,
        "account_number": contract.account.account_number,
    }
    data.update(changes)
    return data


def _submit(user, contract, name, **changes) -> Subscription:
    return services.submit_subscription(
        user=user, custom_name=name, **_numbers(contract, **changes)
    )


def _approved(subscription, contract, clerk) -> Subscription:
    """Approved at once when auto-evaluation is on; otherwise the clerk approves it."""
    if subscription.status == Subscription.Status.EVALUATING and clerk is not None:
        services.approve_subscription(subscription=subscription, contract=contract, clerk=clerk)
        subscription.refresh_from_db()
    return subscription


def seed(*, rng, today: datetime.date, stdout) -> None:
    reserved = {p["customer_number"] for p in PERSONAS.values()}
    free = list(
        Contract.objects.filter(status=Contract.Status.ACTIVE, subscriptions__isnull=True)
        .exclude(customer__customer_number__in=reserved)
        .select_related("customer__correspondence_address", "account", "installation")
        .order_by("contract_number")
    )
    if len(free) < 8:  # seven picked, and one with an e-mail on record
        stdout.write("  subscrições de demonstração: contratos insuficientes, nada feito")
        return
    picked = rng.sample(free, 7)
    with_email = next((c for c in free if c.customer.email and c not in picked), None)
    clerk = User.objects.filter(username="atendimento").first()

    carlos = demo_user(
        "carlos", first_name="Carlos", last_name="Mendes", email="carlos.mendes@example.pt"
    )
    diana = demo_user(
        "diana", first_name="Diana", last_name="Rocha", email="diana.rocha@example.pt"
    )

    # Active, after a letter: its history is the letter path's.
    active = Subscription.objects.create(
        user=carlos,
        contract=picked[0],
        custom_name="Casa",
        status=Subscription.Status.ACTIVE,
        activation_channel=Subscription.Channel.LETTER,
        activated_at=timezone.now(),
        **_numbers(picked[0]),
    )
    Kind = SubscriptionEvent.Kind
    SubscriptionEvent.objects.bulk_create(
        SubscriptionEvent(subscription=active, kind=kind, actor=actor)
        for kind, actor in [
            (Kind.CREATED, carlos),
            (Kind.APPROVED, None),
            (Kind.LETTER_QUEUED, None),
            (Kind.LETTER_SENT, clerk),
            (Kind.ACTIVATED, carlos),
        ]
    )

    # Em avaliação, in the staff's queue: a mistyped account number, and a wrong CIL.
    _submit(carlos, picked[1], "Armazém", account_number="9" + picked[1].account.account_number)
    _submit(diana, picked[2], "Casa dos pais", cil=picked[2].installation.cil + "1")

    # Approved by letter: one letter printed (what went to the printer, with the code, is
    # under LETTERS_DIR/demo/ so that the demo's visitor can type it), one still waiting for
    # "Imprimir cartas".
    printed = _approved(_submit(carlos, picked[3], "Quinta"), picked[3], clerk)
    _approved(_submit(diana, picked[4], "Apartamento"), picked[4], clerk)
    letter = Letter.objects.filter(subscription=printed).first()
    if letter is not None:
        printed_pdf, _count = services.print_letters(letter_ids=[letter.pk], clerk=clerk)
        if _count:
            store_letter("demo/carta-impressa-carlos.pdf", printed_pdf)
        # Asked for a few days ago, so that carlos's page reads "A aguardar a carta" like the
        # letter in the visitor's hand, not "Em avaliação" (Subscription.letter_on_its_way).
        Subscription.objects.filter(pk=printed.pk).update(
            created_at=printed.created_at - Subscription.LETTER_TIME - datetime.timedelta(days=1)
        )

    # Rejected by the clerk, with the reason the user sees.
    rejected = _submit(diana, picked[5], "Escritório", customer_number="1" + "0" * 5)
    if rejected.status == Subscription.Status.EVALUATING and clerk is not None:
        services.reject_subscription(
            subscription=rejected,
            clerk=clerk,
            reason="O número de cliente não corresponde ao titular desta instalação. "
            "Confirme-o na sua fatura e faça um novo pedido.",
        )

    # Locked after five wrong codes: a new letter can be asked for a week after the request.
    locked = _approved(_submit(diana, picked[6], "Garagem"), picked[6], clerk)
    for _ in range(services.MAX_WRONG_CODES):
        services.activate_by_code(subscription=locked, code="AAAAAAAAAA", user=diana)

    # Activation by e-mail: eduardo's confirmed e-mail is the one on record for the contract.
    users = ["carlos", "diana"]
    if with_email and not User.objects.filter(email__iexact=with_email.customer.email).exists():
        eduardo = demo_user(
            "eduardo", first_name="Eduardo", last_name="Lopes", email=with_email.customer.email
        )
        _approved(_submit(eduardo, with_email, "Casa"), with_email, clerk)
        users.append("eduardo")
    stdout.write(f"  subscrições em cada estado: {', '.join(users)} (e a fila do atendimento)")
