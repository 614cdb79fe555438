"""The back office at 1280 px: the letters list, with its PDF column, fits without scrolling."""

from django.urls import reverse

from balcao.contracts.models import Letter
from balcao.core.roles import sync_staff_groups


def test_the_letters_list_fits_a_1280_px_screen_with_its_pdf_column(page, login, clerk, ana):
    sync_staff_groups()
    casa = ana.subscriptions.get(custom_name="Casa")
    for name in ["Maria Manuela Albuquerque de Vasconcelos", "Ana Silva"]:
        Letter.objects.create(subscription=casa, recipient_name=name, address_lines="Leiria")
    Letter.objects.filter(recipient_name="Ana Silva").update(printed_at="2026-01-01T10:00Z")
    login(page, clerk)

    page.goto(reverse("admin:contracts_letter_changelist"))

    assert page.viewport_size["width"] == 1280
    assert page.get_by_role("columnheader", name="PDF").is_visible()
    overflow = page.evaluate(
        "() => { const box = document.querySelector('#changelist .results');"
        " return box.scrollWidth - box.clientWidth; }"
    )
    assert overflow <= 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
