import factory
from django.utils import timezone

from balcao.accounts.models import User

PASSWORD = "Leiria-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"cliente{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.pt")
    first_name = "Maria"
    last_name = "Santos"
    nif = "123456789"
    email_confirmed_at = factory.LazyFunction(timezone.now)
    terms_version = "2026-01"
    terms_accepted_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)
