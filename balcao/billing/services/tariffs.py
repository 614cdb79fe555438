"""Writing tariffs: from a TOML file or data, never over a tariff an invoice used."""

from django.db import transaction

from balcao.billing.computation import LineKind, TariffData
from balcao.billing.models import Tariff, TariffPrice, TariffService


@transaction.atomic
def save_tariff(data: TariffData, *, source: str = "", replace: bool = False) -> Tariff:
    """Store a tariff (DOMAIN.md "Tariffs") for its type from its date.

    A tariff of the same type and date is replaced only with ``replace=True`` and only
    while no issued document used it (``TariffInUse``); a new tariff cannot take effect
    on a day an issued invoice of its type already billed (``ValidationError``): prices
    change from a later date, by a new tariff that supersedes the old one.
    """
    tariff = Tariff.objects.filter(tariff_type=data.tariff_type, valid_from=data.valid_from).first()
    if tariff is not None:
        tariff.check_editable()
        if not replace:
            raise ValueError(
                f"A {data.tariff_type} tariff from {data.valid_from} exists (use replace)."
            )
        tariff.prices.all().delete()
        tariff.services.all().delete()
    else:
        tariff = Tariff(tariff_type=data.tariff_type, valid_from=data.valid_from)
    tariff.name = data.name or f"{data.tariff_type} {data.valid_from}"
    tariff.sanitation_coefficient = data.sanitation_coefficient
    tariff.source = source
    tariff.full_clean(validate_constraints=False)
    tariff.save()
    services = []
    prices = []
    for terms in data.services:
        row = TariffService(
            tariff=tariff,
            service=terms.service,
            vat_rate=terms.vat.rate,
            exemption_code=terms.vat.exemption_code,
            exemption_reason=terms.vat.exemption_reason,
        )
        row.full_clean(exclude=["tariff"])
        services.append(row)
        prices += [
            TariffPrice(
                tariff=tariff,
                service=terms.service,
                kind=LineKind.FIXED,
                up_to_calibre_mm=fixed.up_to_calibre_mm,
                price=fixed.price,
            )
            for fixed in terms.fixed
        ]
        prices += [
            TariffPrice(
                tariff=tariff,
                service=terms.service,
                kind=LineKind.VARIABLE,
                up_to=band.up_to,
                price=band.price,
            )
            for band in terms.bands
        ]
    TariffService.objects.bulk_create(services)
    TariffPrice.objects.bulk_create(prices)
    return tariff
