"""The demo's subscriptions: a few in each state, deterministic, through the services."""

import random

from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts import demo, demo_queue
from balcao.contracts.models import Letter, Subscription


class Out:
    def __init__(self):
        self.lines = []

    def write(self, line):
        self.lines.append(line)


def test_seed_creates_subscriptions_in_every_state(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SUBSCRIPTION_AUTO_EVALUATION = True
    rng, today = random.Random(2026), timezone.localdate()
    demo.seed(rng=rng, today=today, stdout=Out(), customers=30)
    UserFactory(username="atendimento", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        demo_queue.seed(rng=rng, today=today, stdout=Out())
    states = set(
        Subscription.objects.filter(user__username__in=["carlos", "diana", "eduardo"]).values_list(
            "status", flat=True
        )
    )
    assert states == {"active", "evaluating", "awaiting_activation", "rejected", "locked"}
    assert Letter.objects.filter(printed_at__isnull=True).exists()
    printed = Letter.objects.get(printed_at__isnull=False)
    assert (settings.LETTERS_DIR / printed.file).is_file()
    # The printed letter's request reads as the letter on its way, not as still evaluated.
    assert printed.subscription.customer_status_label == "A aguardar a carta"
    assert Subscription.objects.filter(activation_channel="email").exists()
    # The demo's free contracts stay free for whoever tries "Adicionar um contrato".
    assert not Subscription.objects.filter(
        contract__customer__customer_number__in=["200001", "200002"]
    ).exists()
