"""Path converters for the utility's identifiers (DOMAIN.md), registered at start-up.

A URL whose identifier does not have the identifier's shape is not a page of the portal:
it answers 404 at the resolver, before any view or query. So a NUL byte (which PostgreSQL
refuses in text, as a DataError), a 1 MB segment or any other character never reaches
the database, and a request number always fits the column.
"""

from django.urls import register_converter
from django.urls.converters import IntConverter, StringConverter


class UtilityNumberConverter(StringConverter):
    """Contract number or CIL: letters and digits, as printed on the invoice (max 20)."""

    regex = "[A-Za-z0-9]{1,20}"


class ReceiptNumberConverter(StringConverter):
    """A reading's receipt: "L", the year, a hyphen and seven digits (L2026-0123456)."""

    regex = "L[0-9]{4}-[0-9]{7}"


class RequestNumberConverter(IntConverter):
    """A request's number (Nº do pedido): at most 18 digits, so it fits a bigint column."""

    regex = "[0-9]{1,18}"


class InvoiceNumberConverter(StringConverter):
    """An invoice's or credit note's number in a path: "FT 2026A/123" as "FT-2026A-123".

    The view receives the number as printed ("FT 2026A/123"); ``reverse`` takes either form.
    """

    regex = "(?:FT|NC)-[A-Za-z0-9]{1,20}-[0-9]{1,9}"

    def to_python(self, value: str) -> str:
        document_type, rest = value.split("-", 1)
        series, sequence = rest.rsplit("-", 1)
        return f"{document_type} {series}/{sequence}"

    def to_url(self, value) -> str:
        return str(value).replace(" ", "-", 1).replace("/", "-")


class PaymentReceiptNumberConverter(InvoiceNumberConverter):
    """A payment's receipt (RG) in a path: "RG 2026A/12" as "RG-2026A-12"."""

    regex = "RG-[A-Za-z0-9]{1,20}-[0-9]{1,9}"


class TokenConverter(StringConverter):
    """A link's token: URL-safe base64 and the separators of Django's signing (":", ".")."""

    regex = "[A-Za-z0-9_.:-]{1,1024}"


CONVERTERS: dict[str, type[StringConverter] | type[IntConverter]] = {
    "contract": UtilityNumberConverter,
    "cil": UtilityNumberConverter,
    "receipt": ReceiptNumberConverter,
    "request_number": RequestNumberConverter,
    "invoice": InvoiceNumberConverter,
    "rg": PaymentReceiptNumberConverter,
    "token": TokenConverter,
}


def register() -> None:
    for name, converter in CONVERTERS.items():
        register_converter(converter, name)
