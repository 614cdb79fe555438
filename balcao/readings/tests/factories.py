import factory

from balcao.readings.models import Reading


class ReadingFactory(factory.django.DjangoModelFactory):
    """A company reading that counts for billing, on the installation's meter."""

    class Meta:
        model = Reading

    meter = factory.LazyAttribute(lambda r: r.installation.meters.get(removed_on__isnull=True))
    origin = Reading.Origin.COMPANY
    status = Reading.Status.BILLABLE
