"""Consumos (manual 6.3 point 4): a server-drawn SVG chart and a table with the same numbers."""

import datetime
import re

from django.urls import reverse

from balcao.readings.tests.factories import ReadingFactory


def consumption_url(contract, year=None):
    url = reverse("readings:consumption", args=[contract.contract_number])
    return f"{url}?ano={year}" if year else url


def test_chart_and_table_show_the_same_numbers(ana_client, casa, travel):
    installation = casa.installation
    # Month ends of 2025: 1 m³ a day in the first half, 2 m³ a day in the second.
    index = 0
    ReadingFactory(installation=installation, taken_on=datetime.date(2024, 12, 31), index=0)
    for month in range(1, 13):
        end = datetime.date(2025, month % 12 + 1, 1) if month < 12 else datetime.date(2026, 1, 1)
        end -= datetime.timedelta(days=1)
        days = end.day
        index += days * (1 if month <= 6 else 2)
        ReadingFactory(installation=installation, taken_on=end, index=index)
    travel(2026, 2, 10)
    response = ana_client.get(consumption_url(casa, 2025))
    html = response.content.decode()
    assert response.status_code == 200
    svg = html[html.index("<svg") : html.index("</svg>")]
    table = html[html.index('<table class="consumption-table') : html.index("</table>")]
    assert '<title id="chart-title">Consumo mensal de água em 2025, em m³</title>' in svg
    bars = re.findall(r"<title>(\w+): ([\d,]+) m³</title>", svg)
    rows = re.findall(r'<th scope="row"[^>]*>(\w+)</th><td class="num"[^>]*>([\d,]+)</td>', table)
    total_row = rows.pop()
    assert len(bars) == 12 and bars == rows
    assert bars[0] == ("Jan", "31,0") and bars[1] == ("Fev", "28,0") and bars[11] == ("Dez", "62,0")
    # Litres per day: 1 000 in January, 2 000 in December.
    assert ">1000</td>" in table and ">2000</td>" in table
    assert "<caption>Consumo mensal em 2025</caption>" in table
    total = sum(float(v.replace(",", ".")) for _m, v in rows)
    assert total_row == ("Total", f"{total:.1f}".replace(".", ","))


def test_current_year_shows_months_up_to_today_marked_as_estimates(ana_client, casa, travel):
    ReadingFactory(installation=casa.installation, taken_on=datetime.date(2026, 1, 5), index=100)
    ReadingFactory(installation=casa.installation, taken_on=datetime.date(2026, 2, 4), index=130)
    travel(2026, 3, 20)
    html = ana_client.get(consumption_url(casa)).content.decode()
    table = html[html.index('<table class="consumption-table') : html.index("</table>")]
    assert re.findall(r'<th scope="row"[^>]*>(\w+)</th>', table) == ["Jan", "Fev", "Mar", "Total"]
    assert "Estimativa" in table  # March is past the last reading
    assert "bar--estimated" in html


def test_year_selector_is_a_get_form(ana_client, casa, travel):
    ReadingFactory(installation=casa.installation, taken_on=datetime.date(2023, 6, 5), index=10)
    travel(2026, 3, 20)
    html = ana_client.get(consumption_url(casa)).content.decode()
    assert '<form method="get"' in html
    for year in (2026, 2025, 2024, 2023):
        assert f'<option value="{year}"' in html
    assert '<option value="2026" selected>' in html
    html = ana_client.get(consumption_url(casa, "abc")).content.decode()
    assert '<option value="2026" selected>' in html  # nonsense falls back to the latest year
