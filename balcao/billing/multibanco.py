"""Multibanco payment references (DOMAIN.md "Payments"): entity, reference, exact amount.

The reference has 9 digits: the 3-digit sub-entity, a 4-digit id from the document and
2 check digits. Check digits: the 20 digits entity (5) ‖ sub-entity + id (7) ‖ amount in
cents (8, zero-padded) read as a number N; check = 98 − (N × 100 mod 97), two digits.
Published example: entity 90150, 1231234, €432.11 → reference 123 123 451.
"""

from dataclasses import dataclass
from decimal import Decimal

from balcao.core.money import CENT, round_money

MAX_AMOUNT = Decimal("999999.99")  # 8 digits of cents


@dataclass(frozen=True)
class MultibancoReference:
    entity: str  # 5 digits
    reference: str  # 9 digits
    amount: Decimal

    @property
    def formatted_reference(self) -> str:
        """Three groups of three digits, as ATMs and home banking ask for it: 123 123 451."""
        return f"{self.reference[:3]} {self.reference[3:6]} {self.reference[6:]}"


def check_digits(entity: str, sub_entity_and_id: str, amount: Decimal) -> str:
    """The 2 check digits of DOMAIN.md's rule, for entity (5), sub-entity + id (7), amount."""
    if not (entity.isdigit() and len(entity) == 5):
        raise ValueError("The Multibanco entity has 5 digits.")
    if not (sub_entity_and_id.isdigit() and len(sub_entity_and_id) == 7):
        raise ValueError("Sub-entity and id have 7 digits.")
    amount = round_money(amount)
    if not Decimal("0") < amount <= MAX_AMOUNT:
        raise ValueError("A Multibanco amount is between 0.01 and 999 999.99 €.")
    cents = int(amount / CENT)
    number = int(f"{entity}{sub_entity_and_id}{cents:08d}")
    return f"{98 - (number * 100) % 97:02d}"


def multibanco_reference(
    *, entity: str, sub_entity: str, document_id: int, amount: Decimal
) -> MultibancoReference:
    """The reference for one document: its id's last 4 digits after the sub-entity (3)."""
    if not (sub_entity.isdigit() and len(sub_entity) == 3):
        raise ValueError("The Multibanco sub-entity has 3 digits.")
    body = f"{sub_entity}{document_id % 10_000:04d}"
    return MultibancoReference(
        entity=entity,
        reference=body + check_digits(entity, body, amount),
        amount=round_money(amount),
    )
