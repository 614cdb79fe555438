"""Money is Decimal, in euros; rounding is ROUND_HALF_UP to the cent, written once."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Round half-up to cents (DOMAIN.md: each line's amount, then VAT per rate)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def format_euros(amount: Decimal | None) -> str:
    """Portuguese format: thousands with a space, decimal comma, euro sign after (1 234,50 €)."""
    if amount is None:
        return ""
    value = round_money(amount)
    sign = "-" if value < 0 else ""
    integer, _, cents = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    return f"{sign}{' '.join(groups)},{cents} €"
