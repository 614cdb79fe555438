import datetime

import factory
from django.utils import timezone

from balcao.notices.models import Notice


class NoticeFactory(factory.django.DjangoModelFactory):
    """A notice to everyone, in force from yesterday to a week from now."""

    class Meta:
        model = Notice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Aviso {n}")
    text = "Informamos os nossos clientes."
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    audience = Notice.Audience.EVERYONE

    @factory.post_generation
    def contracts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contracts.set(extracted)
