import pytest

from balcao.core.models import District, Municipality, Parish
from balcao.core.territory import ensure_territory


@pytest.mark.django_db
def test_territory_has_the_districts_regions_municipalities_and_leiria_parishes():
    ensure_territory()
    assert District.objects.count() == 20  # 18 districts + Açores + Madeira
    assert Municipality.objects.count() == 308
    leiria = Municipality.objects.get(code="1009")
    assert leiria.name == "Leiria" and leiria.district.name == "Leiria"
    assert Parish.objects.filter(municipality=leiria, valid_to__isnull=True).count() == 18
    assert Municipality.objects.get(name="Funchal").district.name == "Região Autónoma da Madeira"
    assert (
        Municipality.objects.get(name="Ponta Delgada").district.name == "Região Autónoma dos Açores"
    )
