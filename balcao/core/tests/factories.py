import factory

from balcao.core.models import Address, Parish
from balcao.core.territory import ensure_territory


class AddressFactory(factory.django.DjangoModelFactory):
    """An address in Leiria (district 10, municipality 09)."""

    class Meta:
        model = Address

    street = factory.Sequence(lambda n: f"Rua Barão de Viamonte {n}")
    door = "12"
    floor = "2.º Esq."
    postal_code = "2400-137"
    postal_locality = "LEIRIA"
    locality = "Leiria"

    @factory.lazy_attribute
    def municipality(self):
        return ensure_territory()

    @factory.lazy_attribute
    def district(self):
        return self.municipality.district

    @factory.lazy_attribute
    def parish(self):
        return Parish.objects.filter(municipality=self.municipality).order_by("name").first()
