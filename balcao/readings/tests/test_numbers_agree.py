"""Numbers a customer will question (issue 11, item 9; DOMAIN.md "Meter readings").

The reading history and the monthly chart use the same figures; an estimate is shown as
"Estimativa"; the chart's table says which months are estimated and from when; a reading
below an earlier estimate is accepted and says that the next invoice corrects it.
Every number below is worked out by hand in the comments.
"""

import datetime
import re

from django.urls import reverse

from balcao.readings.models import Reading
from balcao.readings.services import record_estimate
from balcao.readings.tests.factories import ReadingFactory
from balcao.readings.tests.test_submit_reading import customer_readings, send

D = datetime.date


def page(client, name, contract, year=None):
    url = reverse(f"readings:{name}", args=[contract.contract_number])
    return client.get(f"{url}?ano={year}" if year else url).content.decode()


def history_rows(html):
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return body.split("<tr>")[1:]  # newest first


def consumption_cell(row):
    return re.search(r'data-label="Consumo \(m³\)">([^<]*)</td>', row).group(1)


def month_rows(html):
    table = html[html.index('<table class="consumption-table') : html.index("</tfoot>")]
    return dict(
        re.findall(r'<th scope="row"[^>]*>(\w+)</th><td class="num"[^>]*>([\d,]+)</td>', table)
    )


def test_history_consumption_agrees_with_the_monthly_chart(ana_client, casa, travel):
    installation = casa.installation
    ReadingFactory(installation=installation, taken_on=D(2025, 12, 31), index=100)
    ReadingFactory(installation=installation, taken_on=D(2026, 1, 31), index=131)  # 31 in Jan
    # Read outside the window, too high (a digit misread): kept for history only.
    ReadingFactory(
        installation=installation,
        taken_on=D(2026, 2, 14),
        index=170,
        origin=Reading.Origin.CUSTOMER,
        status=Reading.Status.HISTORY,
        history_reason=Reading.HistoryReason.OUTSIDE_WINDOW,
        receipt_number="L2026-0000007",
    )
    ReadingFactory(installation=installation, taken_on=D(2026, 2, 28), index=159)  # 28 in Feb
    travel(2026, 3, 10)

    rows = history_rows(page(ana_client, "history", casa))
    assert "28/02/2026" in rows[0] and consumption_cell(rows[0]) == "28"  # 159 − 131, not −11
    assert "14/02/2026" in rows[1] and consumption_cell(rows[1]) == "—"  # not in the sums
    assert "31/01/2026" in rows[2] and consumption_cell(rows[2]) == "31"  # 131 − 100

    months = month_rows(page(ana_client, "consumption", casa))
    assert months["Jan"] == "31,0" and months["Fev"] == "28,0"  # the same figures


def test_an_estimate_is_shown_as_estimativa_and_the_months_say_from_when(
    ana_client, casa, casa_history, travel
):
    # casa_history: 100 m³ on 05/01/2026 and 160 m³ on 06/03/2026, 1 m³ a day.
    record_estimate(installation=casa.installation, taken_on=D(2026, 4, 5))  # 160 + 30 = 190
    travel(2026, 4, 20)

    rows = history_rows(page(ana_client, "history", casa))
    assert "05/04/2026" in rows[0] and ">190<" in rows[0] and consumption_cell(rows[0]) == "30"
    assert "Estimativa" in rows[0] and "Validada para faturação" not in rows[0]

    html = page(ana_client, "consumption", casa)
    table = html[html.index('<table class="consumption-table') : html.index("</table>")]
    base = re.findall(r'data-label="Base">([^<]*)</td>', table)
    # January to 5 March between real readings; from 7 March on, 1 m³ a day estimated.
    assert base == ["Leituras", "Leituras", "Leituras, e estimativa desde 07/03/2026", "Estimativa"]
    months = month_rows(html)
    assert months["Mar"] == "31,0" and months["Abr"] == "20,0"  # 1 m³ a day, to 20/04
    assert "<title>Abr: 20,0 m³ (estimativa)</title>" in html


def test_a_reading_below_an_earlier_estimate_is_accepted_and_says_what_happens(
    ana_client, casa, casa_history, travel
):
    # The estimate of 05/04/2026 billed 160 + 30 = 190 m³; the meter shows 175 on 07/04.
    record_estimate(installation=casa.installation, taken_on=D(2026, 4, 5))
    travel(2026, 4, 7)  # inside the window (days 02 to 08)
    response = send(ana_client, casa, 175)
    assert response.status_code == 302
    reading = customer_readings(casa.installation).get()
    assert reading.index == 175 and reading.status == Reading.Status.BILLABLE

    receipt = ana_client.get(response.url).content.decode()
    note = (
        "Abaixo da estimativa anterior (190 m³ em 05/04/2026): "
        "a próxima fatura acerta o consumo estimado."
    )
    assert note in receipt and "Validada para faturação" in receipt

    rows = history_rows(page(ana_client, "history", casa))
    # Compared with the last real reading (160 on 06/03), not with the estimate.
    assert "07/04/2026" in rows[0] and consumption_cell(rows[0]) == "15" and note in rows[0]
    assert "Estimativa" in rows[1] and consumption_cell(rows[1]) == "30"
    assert "06/03/2026" in rows[2] and consumption_cell(rows[2]) == "60"
