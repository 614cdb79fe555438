"""The activation letters' PDFs (issue 9, item 10): the code lives only on the paper."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts import letters
from balcao.contracts.models import Letter
from balcao.contracts.tests.conftest import codes_in, numbers, pdf_text


@pytest.fixture
def printed(carla_client, letter_contract, print_letters, settings):
    """Carla asked for the letter contract; the clerk printed the letter. Returns its code."""
    carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    [code] = codes_in(print_letters())
    return Letter.objects.get(), code


def test_the_kept_pdf_leaves_the_code_out(printed, settings):
    letter, code = printed

    kept = (settings.LETTERS_DIR / letter.file).read_bytes()

    text = pdf_text(kept)
    assert "Rosa Marques" in text and "Código de ativação" in text
    assert code not in text.replace(" ", "") and not codes_in(kept)


def test_only_the_staff_who_print_open_the_kept_pdf(printed, staff_client):
    letter, _code = printed
    pdf_url = reverse("admin:contracts_letter_pdf", args=[letter.pk])
    viewer = UserFactory(username="auditor", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_letter"))
    browser = Client()
    browser.force_login(viewer)

    assert browser.get(reverse("admin:contracts_letter_changelist")).status_code == 200
    assert pdf_url not in browser.get(reverse("admin:contracts_letter_changelist")).content.decode()
    assert browser.get(pdf_url).status_code == 404
    # Atendimento prints, so it opens it.
    assert (
        pdf_url in staff_client.get(reverse("admin:contracts_letter_changelist")).content.decode()
    )
    assert staff_client.get(pdf_url)["Content-Type"] == "application/pdf"


def test_the_permission_to_print_is_the_printing_groups(db):
    from django.contrib.auth.models import Group

    assert (
        Group.objects.get(name="Atendimento").permissions.filter(codename="print_letters").exists()
    )
    assert (
        not Group.objects.get(name="Faturação")
        .permissions.filter(codename="print_letters")
        .exists()
    )


def test_the_daily_sweep_deletes_the_pdfs_of_expired_codes(printed, settings):
    letter, code = printed
    path = settings.LETTERS_DIR / letter.file
    # A letter kept as it was before the kept copy left the code out.
    content = letters.LetterContent(
        recipient_name=letter.recipient_name,
        address_lines=[],
        code=code,
        valid_until=timezone.localdate(),
        issued_on=timezone.localdate(),
        contract_number="600007",
        cil="",
        supply_address="",
        username="carla",
    )
    path.write_bytes(letters.render_letters([content]))

    call_command("delete_spent_letter_pdfs")
    assert path.is_file()  # the code is still live

    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        call_command("delete_spent_letter_pdfs")

    assert not path.exists()
    letter.refresh_from_db()
    assert letter.file == "" and letter.printed_at is not None


def test_a_used_code_takes_its_pdf_with_it(printed, carla_client, settings):
    letter, code = printed
    subscription = letter.subscription
    carla_client.post(
        reverse("contracts:activate_code", args=[subscription.reference]), {"code": code}
    )

    call_command("delete_spent_letter_pdfs")

    assert not (settings.LETTERS_DIR / letter.file).exists()
    letter.refresh_from_db()
    assert letter.file == ""
