"""The Leituras team's back office: company readings typed in, meter replacement."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.tests.factories import ContractFactory
from balcao.core.roles import sync_staff_groups
from balcao.readings.models import Reading


@pytest.fixture
def reader_client(client, db):
    sync_staff_groups()  # the groups and their permissions, as after migrate
    user = UserFactory(username="leitor", is_staff=True)
    user.groups.add(Group.objects.get(name="Leituras"))
    client.force_login(user)
    return client


def test_staff_enters_a_company_reading(reader_client, travel):
    travel(2026, 4, 20)
    installation = ContractFactory().installation
    url = reverse("admin:readings_reading_add")
    assert reader_client.get(url).status_code == 200
    response = reader_client.post(
        url, {"cil": installation.cil, "taken_on": "2026-04-14", "index": "321", "reader": "Rui"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reading = Reading.objects.get()
    assert reading.origin == Reading.Origin.COMPANY and reading.status == Reading.Status.BILLABLE
    assert reading.index == 321 and reading.taken_on == datetime.date(2026, 4, 14)
    assert list(reading.events.values_list("kind", flat=True)) == ["received", "billable"]
    # The same meter and day again is refused next to the form, not stored.
    response = reader_client.post(
        url, {"cil": installation.cil, "taken_on": "2026-04-14", "index": "330", "reader": "Rui"}
    )
    assert response.status_code == 200
    assert "Já existe uma leitura dos SMAS deste contador nessa data." in response.content.decode()
    assert Reading.objects.count() == 1


def test_a_reading_cannot_be_edited_by_hand(reader_client, casa, travel):
    from balcao.readings.tests.factories import ReadingFactory

    reading = ReadingFactory(
        installation=casa.installation, taken_on=datetime.date(2026, 1, 5), index=7
    )
    url = reverse("admin:readings_reading_change", args=[reading.pk])
    html = reader_client.get(url).content.decode()
    assert 'name="index"' not in html
    assert reader_client.get(reverse("admin:readings_reading_changelist")).status_code == 200


def test_staff_replaces_a_meter(reader_client, travel):
    travel(2026, 4, 20)
    installation = ContractFactory().installation
    url = reverse("admin:readings_replace_meter")
    assert reader_client.get(url).status_code == 200
    response = reader_client.post(
        url,
        {
            "cil": installation.cil,
            "removed_on": "15/04/2026",
            "final_index": "812",
            "new_serial": "SN-2026-1",
            "new_initial_index": "0",
            "new_calibre_mm": "",
        },
    )
    assert response.status_code == 302
    current = installation.meters.get(removed_on__isnull=True)
    assert current.serial == "SN-2026-1"
    assert installation.meters.get(removed_on=datetime.date(2026, 4, 15)).final_index == 812
