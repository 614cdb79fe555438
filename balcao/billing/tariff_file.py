"""Tariffs in a TOML file (``manage.py load_tariff FILE.toml``; format in docs/billing.md).

A file describes one tariff for one or more tariff types (the demo's domestic prices
serve the social and large-family tariffs too: their rules are the computation's)::

    name = "Tarifário de demonstração"
    tariff_types = ["domestic", "social", "large_family"]
    valid_from = 2025-01-01
    sanitation_coefficient = 0.90

    [services.water]
    vat_rate = 6
    fixed = 3.5000                                  # € per 30 days, any calibre
    bands = [{ up_to = 5, price = 0.5900 }, { price = 0.7000 }]

    [services.sanitation]
    exemption_code = "M99"
    exemption_reason = "Não sujeito ou não tributado (Ofício-Circulado 25031)"
    fixed = [{ up_to_calibre_mm = 25, price = 3.75 }, { price = 9.00 }]  # by calibre
    price = 1.1000                                  # a flat price: one band, no limit

Numbers are read as Decimal (never through binary floats).
"""

import datetime
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from balcao.billing.computation import (
    SERVICE_ORDER,
    Band,
    FixedPrice,
    Service,
    ServiceTerms,
    TariffData,
    TariffError,
    TariffType,
    VatTreatment,
)

SERVICE_KEYS = {
    "water": Service.WATER,
    "sanitation": Service.SANITATION,
    "waste": Service.WASTE,
    "trh_water": Service.TRH_WATER,
    "trh_sanitation": Service.TRH_SANITATION,
}


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise TariffError(f"{where}: a number is expected, not {value!r}.")
    try:
        return Decimal(value)
    except ArithmeticError:
        raise TariffError(f"{where}: {value!r} is not a number.") from None


def _fixed(value: Any, where: str) -> tuple[FixedPrice, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(
            FixedPrice(
                price=_decimal(row.get("price"), f"{where}[{n}].price"),
                up_to_calibre_mm=row.get("up_to_calibre_mm"),
            )
            for n, row in enumerate(value)
        )
    return (FixedPrice(price=_decimal(value, where)),)


def _service(key: str, table: dict[str, Any]) -> ServiceTerms:
    where = f"services.{key}"
    unknown = set(table) - {
        "vat_rate",
        "exemption_code",
        "exemption_reason",
        "fixed",
        "bands",
        "price",
    }
    if unknown:
        raise TariffError(f"{where}: unknown keys {sorted(unknown)}.")
    if "bands" in table and "price" in table:
        raise TariffError(f"{where}: give either bands or a flat price.")
    bands: tuple[Band, ...] = ()
    if "price" in table:
        bands = (Band(up_to=None, price=_decimal(table["price"], f"{where}.price")),)
    elif "bands" in table:
        bands = tuple(
            Band(
                up_to=_decimal(row["up_to"], f"{where}.bands[{n}].up_to")
                if "up_to" in row
                else None,
                price=_decimal(row.get("price"), f"{where}.bands[{n}].price"),
            )
            for n, row in enumerate(table["bands"])
        )
    rate = table.get("vat_rate")
    return ServiceTerms(
        service=SERVICE_KEYS[key],
        vat=VatTreatment(
            rate=None if rate is None else _decimal(rate, f"{where}.vat_rate"),
            exemption_code=table.get("exemption_code", ""),
            exemption_reason=table.get("exemption_reason", ""),
        ),
        fixed=_fixed(table.get("fixed"), f"{where}.fixed"),
        bands=bands,
    )


def parse_tariff(text: str) -> tuple[list[TariffData], str]:
    """The tariffs a file describes (one per tariff type) and its ``source`` note."""
    try:
        document = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise TariffError(f"Not a valid TOML file: {error}") from None
    for key in ("name", "tariff_types", "valid_from", "services"):
        if key not in document:
            raise TariffError(f"The file has no {key!r}.")
    valid_from = document["valid_from"]
    if not isinstance(valid_from, datetime.date) or isinstance(valid_from, datetime.datetime):
        raise TariffError("valid_from is a date: valid_from = 2025-01-01.")
    types = document["tariff_types"]
    unknown_types = set(types) - set(TariffType.values)
    if not types or unknown_types:
        raise TariffError(f"tariff_types are some of {TariffType.values}.")
    unknown_services = set(document["services"]) - set(SERVICE_KEYS)
    if unknown_services:
        raise TariffError(
            f"Unknown services {sorted(unknown_services)}; known: {list(SERVICE_KEYS)}."
        )
    services = tuple(
        sorted(
            (_service(key, table) for key, table in document["services"].items()),
            key=lambda terms: SERVICE_ORDER[terms.service],
        )
    )
    coefficient = _decimal(
        document.get("sanitation_coefficient", Decimal("0.90")), "sanitation_coefficient"
    )
    tariffs = [
        TariffData(
            tariff_type=tariff_type,
            valid_from=valid_from,
            sanitation_coefficient=coefficient,
            services=services,
            name=str(document["name"]),
        )
        for tariff_type in types
    ]
    return tariffs, str(document.get("source", ""))


def read_tariff_file(path: Path) -> tuple[list[TariffData], str]:
    return parse_tariff(path.read_text(encoding="utf-8"))
