import pytest

from balcao.core.forms import AddressForm
from balcao.core.models import Municipality, Parish
from balcao.core.territory import ensure_territory


@pytest.fixture
def leiria(db):
    return ensure_territory()


def _data(leiria, **overrides):
    parish = Parish.objects.filter(municipality=leiria).first()
    data = {
        "street": "Rua Barão de Viamonte",
        "door": "12",
        "floor": "2.º Esq.",
        "postal_code": "2400-137",
        "postal_locality": "Leiria",
        "district": leiria.district_id,
        "municipality": leiria.pk,
        "parish": parish.pk,
        "locality": "Leiria",
    }
    data.update(overrides)
    return data


def test_valid_address_is_saved_with_the_postal_locality_in_capitals(leiria):
    form = AddressForm(_data(leiria))
    assert form.is_valid(), form.errors
    address = form.save()
    assert address.lines() == ["Rua Barão de Viamonte 12, 2.º Esq.", "2400-137 LEIRIA"]


@pytest.mark.parametrize("code", ["2400137", "2400-13", "0400-137", "24OO-137", "2400 137"])
def test_postal_code_must_be_nnnn_nnn(leiria, code):
    form = AddressForm(_data(leiria, postal_code=code))
    if code in ("2400137", "2400 137"):  # typed without the hyphen: accepted and normalised
        assert form.is_valid()
        assert form.cleaned_data["postal_code"] == "2400-137"
    else:
        assert not form.is_valid()
        assert "NNNN-NNN" in form.errors["postal_code"][0]


def test_municipality_must_belong_to_the_district(leiria):
    lisboa = Municipality.objects.get(name="Lisboa")
    form = AddressForm(_data(leiria, municipality=lisboa.pk, parish=""))
    assert not form.is_valid()
    assert form.errors["municipality"] == ["Escolha um concelho do distrito de Leiria."]


def test_parish_must_belong_to_the_municipality(leiria):
    batalha = Municipality.objects.get(name="Batalha")
    form = AddressForm(_data(leiria, municipality=batalha.pk))
    assert not form.is_valid()
    assert form.errors["parish"] == ["Escolha uma freguesia do concelho de Batalha."]


def test_municipalities_are_grouped_by_district_for_use_without_javascript(leiria):
    html = str(AddressForm()["municipality"])
    assert '<optgroup label="Leiria">' in html
    assert f'<option value="{leiria.pk}">Leiria</option>' in html


def test_phones_as_people_type_them(client, leiria):
    """Registration: spaces allowed and removed; a mobile starts with 9."""
    from django.urls import reverse

    data = _data(
        leiria, first_name="Joana", last_name="Lopes", nif="501964843", phone="244 817 300"
    )
    html = client.post(reverse("accounts:register"), {**data, "mobile": "244 817 300"})
    assert "Indique o telemóvel com 9 algarismos, a começar por 9" in html.content.decode()

    response = client.post(reverse("accounts:register"), {**data, "mobile": "912 345 678"})
    assert response.status_code == 302
    assert client.session["registration_personal"]["mobile"] == "912 345 678"
