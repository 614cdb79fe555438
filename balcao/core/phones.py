"""Portuguese telephone numbers as people type them: "912 345 678", "244-817-300"."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_phone(value: str) -> str:
    """Spaces, dots and hyphens removed: "912 345 678" -> "912345678"."""
    return re.sub(r"[\s.-]", "", value)


def validate_phone(value: str) -> None:
    """A Portuguese number (9 digits, starting with 2 or 9) or an international one (+…)."""
    compact = normalise_phone(value)
    if re.fullmatch(r"[29]\d{8}", compact) or re.fullmatch(r"\+\d{8,15}", compact):
        return
    raise ValidationError(
        _("Indique um número de telefone com 9 algarismos (por exemplo, 912 345 678)."),
        code="invalid_phone",
    )


def validate_mobile(value: str) -> None:
    """A Portuguese mobile number: 9 digits starting with 9 (or an international one, +…)."""
    compact = normalise_phone(value)
    if re.fullmatch(r"9\d{8}", compact) or re.fullmatch(r"\+(?!351)\d{8,15}|\+3519\d{8}", compact):
        return
    raise ValidationError(
        _("Indique o telemóvel com 9 algarismos, a começar por 9 (por exemplo, 912 345 678)."),
        code="invalid_mobile",
    )
