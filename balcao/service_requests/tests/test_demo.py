"""The demo's requests: every state and every outcome, for the demo users."""

import datetime
import io
import random

import pytest

from balcao.service_requests.demo import seed
from balcao.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_requests_in_every_state(ana, bruno, clerk):
    seed(rng=random.Random(2026), today=datetime.date(2026, 11, 25), stdout=io.StringIO())

    requests = ServiceRequest.objects.all()
    assert set(requests.values_list("status", flat=True)) == set(ServiceRequest.Status.values)
    assert {"answered", "accepted", "rejected", ""} <= set(
        requests.values_list("outcome", flat=True)
    )
    answered = requests.get(user=ana, outcome="answered")
    assert answered.resolution and answered.closed_at.date() == datetime.date(2026, 9, 29)
    assert requests.filter(user=bruno).exists()
