"""Reads of the billing area that the billing run and the pages share."""

import datetime

from balcao.billing.models import Invoice, Tariff


def tariff_in_force(tariff_type: str, on: datetime.date) -> Tariff | None:
    """The tariff of this type in force on a day: the latest valid from that day or before,
    with its services and prices loaded (``tariff.to_data()`` then costs no query)."""
    return (
        Tariff.objects.filter(tariff_type=tariff_type, valid_from__lte=on)
        .prefetch_related("services", "prices")
        .order_by("-valid_from")
        .first()
    )


def previous_document(invoice: Invoice) -> Invoice | None:
    """The document before this one in its series: the hash it chains to."""
    return (
        Invoice.objects.filter(series_id=invoice.series_id, sequence=invoice.sequence - 1)
        .only("hash", "number")
        .first()
    )
