"""O Meu Perfil (manual section 3): the portal's data, each block with "Editar"."""

import pytest
from django.core import mail
from django.urls import reverse

from balcao.accounts.models import AccountEvent
from balcao.accounts.tests.conftest import link_in_last_mail
from balcao.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_edit_holder_data_and_switch_language(ana_client, ana):
    url = reverse("accounts:edit_holder")
    data = {
        "first_name": "Ana Maria",
        "last_name": "Silva",
        "nif": "232013969",
        "language": "en",
        "phone": "244111222",
        "mobile": "917777777",
    }
    response = ana_client.post(url, {**data, "nif": "232013968"})
    assert "Este NIF não é válido" in response.content.decode()
    response = ana_client.post(url, data, follow=True)
    ana.refresh_from_db()
    assert (ana.first_name, ana.language, ana.mobile) == ("Ana Maria", "en", "917777777")
    assert ana.events.filter(kind=AccountEvent.Kind.PROFILE_CHANGED).exists()
    assert response.redirect_chain[-1][0] == PROFILE
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "The holder details have been saved." in page  # the confirmation in English
    assert "Os dados do titular foram guardados." not in page


def test_edit_address_creates_then_updates_the_users_own_copy(ana_client, ana, leiria):
    url = reverse("accounts:edit_address")
    data = {
        "street": "Largo 5 de Outubro",
        "door": "3",
        "floor": "",
        "postal_code": "2400137",
        "postal_locality": "leiria",
        "locality": "Leiria",
        **{k: str(v) for k, v in leiria.items()},
    }
    ana_client.post(url, data)
    ana.refresh_from_db()
    first = ana.address
    assert (first.street, first.postal_code, first.postal_locality) == (
        "Largo 5 de Outubro",
        "2400-137",
        "LEIRIA",
    )
    ana_client.post(url, {**data, "door": "4"})
    ana.refresh_from_db()
    assert ana.address.pk == first.pk and ana.address.door == "4"
    response = ana_client.post(url, {**data, "postal_code": "24001"})
    assert "NNNN-NNN" in response.content.decode()


def test_changing_the_email_waits_for_the_new_address(ana_client, ana):
    url = reverse("accounts:change_email")
    UserFactory(email="ocupado@example.pt")
    response = ana_client.post(url, {"email": "OCUPADO@example.pt", "password": PASSWORD})
    assert "Este e-mail já está registado" in response.content.decode()
    response = ana_client.post(url, {"email": "ana@novo.pt", "password": "errada"})
    assert "A password não está correta" in response.content.decode()

    ana_client.post(url, {"email": "ana@novo.pt", "password": PASSWORD})
    ana.refresh_from_db()
    assert ana.email == "ana.silva@example.pt"  # not yet
    link = link_in_last_mail("ana@novo.pt")
    response = ana_client.get(link, follow=True)
    assert "O seu e-mail passou a ser ana@novo.pt" in response.content.decode()
    ana.refresh_from_db()
    assert ana.email == "ana@novo.pt"
    assert ana.events.filter(kind=AccountEvent.Kind.EMAIL_CHANGED).exists()
    assert mail.outbox[-1].to == ["ana.silva@example.pt"]  # the old address is told
    response = ana_client.get(link, follow=True)
    assert "já foi usada ou expirou" in response.content.decode()
