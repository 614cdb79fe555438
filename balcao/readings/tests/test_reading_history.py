"""Leituras (manual 6.3 point 3): history with consumption, origin and status; flat queries."""

import datetime

import pytest
from django.urls import reverse

from balcao.readings.models import Reading
from balcao.readings.services import mark_used_in_invoice
from balcao.readings.tests.factories import ReadingFactory


def history_url(contract, year=None):
    url = reverse("readings:history", args=[contract.contract_number])
    return f"{url}?ano={year}" if year else url


def test_history_shows_date_index_consumption_origin_and_status(ana_client, casa, travel):
    installation = casa.installation
    ReadingFactory(installation=installation, taken_on=datetime.date(2025, 12, 10), index=90)
    company = ReadingFactory(
        installation=installation, taken_on=datetime.date(2026, 1, 5), index=100
    )
    ReadingFactory(
        installation=installation,
        taken_on=datetime.date(2026, 1, 31),
        index=125,
        origin=Reading.Origin.ESTIMATE,
    )
    ReadingFactory(
        installation=installation,
        taken_on=datetime.date(2026, 2, 4),
        index=131,
        origin=Reading.Origin.CUSTOMER,
        receipt_number="L2026-0000042",
    )
    mark_used_in_invoice(reading=company, invoice_number="FT 2026A/7")
    travel(2026, 3, 1)
    html = ana_client.get(history_url(casa)).content.decode()
    assert "<caption>Leituras de 2026</caption>" in html
    assert '<th scope="col" class="num">Consumo (m³)</th>' in html
    rows = html[html.index("<tbody>") : html.index("</tbody>")].split("<tr>")[1:]
    assert len(rows) == 3  # newest first; December 2025 is on the 2025 page
    # A real reading counts from the previous real one (the estimate between is skipped).
    assert "04/02/2026" in rows[0] and ">131<" in rows[0] and ">31<" in rows[0]
    assert "Cliente" in rows[0] and "Validada para faturação" in rows[0]
    assert "L2026-0000042" in rows[0]
    assert "Estimativa" in rows[1] and ">25<" in rows[1]
    assert "05/01/2026" in rows[2] and ">10<" in rows[2]  # since the reading of 10/12/2025
    assert "SMAS" in rows[2] and "Usada na fatura FT 2026A/7" in rows[2]


def ten_years_of_readings(installation, meter):
    readings = []
    for year in range(2016, 2026):
        for month in range(1, 13):
            day = datetime.date(year, month, 5)
            index = (year - 2016) * 120 + month * 10
            readings.append(
                Reading(
                    installation=installation,
                    meter=meter,
                    taken_on=day,
                    index=index,
                    origin=Reading.Origin.CUSTOMER if month % 2 else Reading.Origin.COMPANY,
                    status=Reading.Status.BILLABLE,
                    receipt_number=f"L{year}-{month:07d}" if month % 2 else None,
                )
            )
    Reading.objects.bulk_create(readings)


@pytest.mark.parametrize("page", ["readings:submit", "readings:history", "readings:consumption"])
def test_query_count_is_flat_with_ten_years_of_readings(
    ana_client, casa, travel, page, django_assert_max_num_queries, django_assert_num_queries
):
    installation = casa.installation
    meter = installation.meters.get()
    travel(2025, 12, 20)
    url = reverse(page, args=[casa.contract_number])
    ReadingFactory(installation=installation, taken_on=datetime.date(2015, 12, 5), index=0)
    ana_client.get(url)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert ana_client.get(url).status_code == 200
    ten_years_of_readings(installation, meter)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = ana_client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        ana_client.get(url)
