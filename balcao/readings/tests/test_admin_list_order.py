"""The readings list in the back office shows the newest reading first."""

import datetime

import pytest
from django.urls import reverse

from balcao.contracts.tests.factories import ContractFactory
from balcao.core.roles import sync_staff_groups
from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db


def test_the_newest_reading_comes_first_whatever_its_installation(clerk_client):
    sync_staff_groups()
    first, second = ContractFactory().installation, ContractFactory().installation
    days = {(first, 3): 30, (second, 1): 10, (first, 1): 20, (second, 2): 40}
    for (installation, month), index in days.items():
        ReadingFactory(
            installation=installation, taken_on=datetime.date(2026, month, 1), index=index
        )

    response = clerk_client.get(reverse("admin:readings_reading_changelist"))

    shown = [reading.taken_on.month for reading in response.context["cl"].result_list]
    assert shown == [3, 2, 1, 1]
