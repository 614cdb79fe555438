"""'Comunicar leituras' says whether the window is open now, or when it opens next
(issue 11, item 14; manual 6.3), with time frozen: the window's days, before it,
after it (next month), and the ends of a month and of a year."""

import pytest
from django.urls import reverse


def window_text(client, contract, ana):
    client.force_login(ana)  # after travelling: a session from today would have expired
    html = client.get(reverse("readings:submit", args=[contract.contract_number])).content
    html = html.decode()
    start = html.index('<p class="window-state')
    return html[start : html.index("</p>", start)]


@pytest.mark.parametrize(
    ("today", "hour", "until"),
    [
        ((2026, 4, 5), 10, "08/04/2026"),
        ((2026, 4, 2), 0, "08/04/2026"),  # its first day, from midnight in Lisbon
        ((2026, 4, 8), 23, "08/04/2026"),  # its last day, to the evening
    ],
)
def test_the_window_is_open_today(client, ana, casa, travel, today, hour, until):
    travel(*today, hour=hour)  # the window is days 02 to 08 (the manual's example)
    text = window_text(client, casa, ana)
    assert f"O período de leituras está aberto: comunique a sua leitura até {until}." in text
    assert "fechado" not in text


@pytest.mark.parametrize(
    ("window", "today", "opens", "closes"),
    [
        ((2, 8), (2026, 4, 1), "02/04/2026", "08/04/2026"),  # before this month's window
        ((2, 8), (2026, 4, 9), "02/05/2026", "08/05/2026"),  # after it: next month
        ((2, 8), (2026, 1, 31), "02/02/2026", "08/02/2026"),  # the end of a long month
        ((20, 28), (2026, 2, 19), "20/02/2026", "28/02/2026"),  # February, before
        ((20, 28), (2026, 4, 30), "20/05/2026", "28/05/2026"),  # the end of a short month
        ((2, 8), (2026, 12, 9), "02/01/2027", "08/01/2027"),  # after December's: next year
        ((2, 8), (2026, 12, 31), "02/01/2027", "08/01/2027"),  # the year's last day
        ((1, 1), (2026, 12, 2), "01/01/2027", "01/01/2027"),  # a one-day window
    ],
)
def test_the_window_is_closed_and_says_when_it_opens(
    client, ana, casa, travel, window, today, opens, closes
):
    installation = casa.installation
    installation.reading_window_start, installation.reading_window_end = window
    installation.save()
    travel(*today)
    text = window_text(client, casa, ana)
    assert f"O período de leituras está fechado. O próximo abre a {opens} e fecha a {closes}." in (
        text
    )
    assert "Uma leitura comunicada agora fica apenas no histórico." in text


def test_the_last_day_of_february_is_open_in_a_window_to_the_28th(client, ana, casa, travel):
    installation = casa.installation
    installation.reading_window_start, installation.reading_window_end = (20, 28)
    installation.save()
    travel(2026, 2, 28, hour=23)
    assert "aberto: comunique a sua leitura até 28/02/2026." in window_text(client, casa, ana)
