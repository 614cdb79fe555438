import datetime

import pytest
import time_machine
from django.utils import timezone

from balcao.readings.tests.factories import ReadingFactory


@pytest.fixture
def casa(ana):
    """Ana's "Casa" contract."""
    return ana.subscriptions.get(custom_name="Casa").contract


@pytest.fixture
def casa_history(casa):
    """Two company readings: 100 m³ on 05/01/2026 and 160 m³ on 06/03/2026 (1 m³ a day)."""
    installation = casa.installation
    ReadingFactory(installation=installation, taken_on=datetime.date(2026, 1, 5), index=100)
    ReadingFactory(installation=installation, taken_on=datetime.date(2026, 3, 6), index=160)
    return installation


@pytest.fixture
def travel():
    """Freeze time at a Lisbon date and hour: travel(2026, 4, 5)."""
    travellers = []

    def _travel(year, month, day, hour=10):
        moment = timezone.make_aware(datetime.datetime(year, month, day, hour, 0))
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _travel
    for traveller in reversed(travellers):
        traveller.stop()
