"""The demo's 24 months of readings, and the readings section of "Os meus dados"."""

import datetime
import io
import random
import uuid

from django.urls import reverse

from balcao.contracts.tests.factories import ContractFactory
from balcao.readings import demo
from balcao.readings.models import Reading
from balcao.readings.personal_data import readings_section


def test_demo_seeds_realistic_deterministic_readings(db):
    contracts = [ContractFactory(start_date=datetime.date(2019, 1, 1)) for _ in range(5)]
    today = datetime.date(2026, 3, 15)
    demo.seed(rng=random.Random(7), today=today, stdout=io.StringIO())
    first = list(Reading.objects.order_by("pk").values_list("taken_on", "index", "origin"))
    for contract in contracts:
        readings = Reading.objects.filter(installation=contract.installation)
        months = {(r.taken_on.year, r.taken_on.month) for r in readings}
        # Every finished month has a reading of some origin; the current one may not yet.
        assert len(months) >= 23 and (2024, 4) in months and (2026, 2) in months
        company = sorted(r.taken_on for r in readings if r.origin == Reading.Origin.COMPANY)
        assert len(company) >= 4  # at least twice a year
        assert all((b - a).days <= 8 * 31 for a, b in zip(company, company[1:], strict=False))
        real = readings.exclude(origin=Reading.Origin.ESTIMATE).order_by("taken_on")
        indexes = [r.index for r in real]
        assert indexes == sorted(indexes)  # a meter never runs backwards
        for reading in readings.filter(origin=Reading.Origin.CUSTOMER):
            assert [e.kind for e in reading.events.all()] == ["received", reading.status]
    assert Reading.objects.filter(origin=Reading.Origin.CUSTOMER).exists()
    assert Reading.objects.filter(origin=Reading.Origin.ESTIMATE).exists()
    # Deterministic: the same seed gives the same readings.
    Reading.objects.all().delete()
    demo.seed(rng=random.Random(7), today=today, stdout=io.StringIO())
    again = list(Reading.objects.order_by("pk").values_list("taken_on", "index", "origin"))
    assert first == again


def test_personal_data_lists_the_readings_the_user_sent(
    ana_client, ana, casa, casa_history, travel
):
    travel(2026, 4, 5)
    ana_client.post(
        reverse("readings:submit", args=[casa.contract_number]),
        {"index": "190", "submission_key": str(uuid.uuid4())},
    )
    rows = readings_section(ana)
    assert len(rows) == 1
    assert rows[0]["indice_m3"] == 190 and rows[0]["instalacao_cil"] == casa.installation.cil
    assert rows[0]["estado"] == "Validada para faturação"
