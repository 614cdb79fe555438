"""Meter replacement: close the old meter, open the new one; readings follow the new meter."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balcao.contracts.models import Meter
from balcao.readings.models import Reading
from balcao.readings.selectors import consumption_for_period
from balcao.readings.services import replace_meter
from balcao.readings.tests.factories import ReadingFactory

D = datetime.date


def test_replacement_closes_the_old_meter_and_opens_the_new(casa, travel):
    travel(2026, 4, 20)
    installation = casa.installation
    old = installation.meters.get()
    ReadingFactory(installation=installation, taken_on=D(2026, 3, 5), index=500)
    new = replace_meter(
        installation=installation,
        removed_on=D(2026, 4, 10),
        final_index=530,
        new_serial="SN-NOVO",
        new_initial_index=3,
    )
    old.refresh_from_db()
    assert old.removed_on == D(2026, 4, 10) and old.final_index == 530
    assert new.installed_on == D(2026, 4, 10) and new.initial_index == 3
    assert installation.meters.get(removed_on__isnull=True) == new
    assert new.calibre_mm == old.calibre_mm


def test_replacement_refuses_a_final_index_below_the_last_reading(casa, travel):
    travel(2026, 4, 20)
    installation = casa.installation
    ReadingFactory(installation=installation, taken_on=D(2026, 3, 5), index=500)
    with pytest.raises(ValidationError):
        replace_meter(
            installation=installation,
            removed_on=D(2026, 4, 10),
            final_index=400,
            new_serial="SN-NOVO",
            new_initial_index=0,
        )
    assert Meter.objects.filter(installation=installation).count() == 1


def test_customer_reads_the_new_meter_after_a_change(ana_client, casa, travel):
    travel(2026, 4, 20)
    installation = casa.installation
    ReadingFactory(installation=installation, taken_on=D(2026, 3, 5), index=500)
    ReadingFactory(installation=installation, taken_on=D(2026, 2, 5), index=470)
    replace_meter(
        installation=installation,
        removed_on=D(2026, 4, 10),
        final_index=535,
        new_serial="SN-NOVO",
        new_initial_index=0,
    )
    travel(2026, 5, 5)
    from balcao.accounts.models import User

    ana_client.force_login(User.objects.get(username="ana"))
    url = reverse("readings:submit", args=[casa.contract_number])
    html = ana_client.get(url).content.decode()
    assert "SN-NOVO" in html and "0 m³ na instalação do contador, em 10/04/2026" in html
    # 25 days at 1 m³ a day on the new meter: no warning, no refusal for being below 500.
    response = ana_client.post(url, {"index": "25", "submission_key": str(uuid.uuid4())})
    assert response.status_code == 302
    reading = Reading.objects.get(origin=Reading.Origin.CUSTOMER)
    assert reading.meter.serial == "SN-NOVO" and reading.status == Reading.Status.BILLABLE
    # April: about 10 m³ on the old meter until 10/04, then 20 days at 1 m³ on the new one.
    april = consumption_for_period(installation, D(2026, 4, 1), D(2026, 4, 30))
    assert april.volume == pytest.approx(30, abs=1)
