"""The Portuguese tax number (NIF): one rule for users, customers and imports.

In core because accounts (a user's NIF), contracts (a holder's NIF) and the imports of
both check it, and core is the layer they all stand on (docs/architecture.md).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from stdnum.pt import nif as stdnum_nif

# DOMAIN.md: first digits that the tax authority issues (8 is obsolete).
NIF_PREFIXES = (
    "1",
    "2",
    "3",
    "45",
    "5",
    "6",
    "70",
    "71",
    "72",
    "74",
    "75",
    "77",
    "78",
    "79",
    "90",
    "91",
    "98",
    "99",
)


def normalize_nif(value: str) -> str:
    return "".join(value.split()).upper().removeprefix("PT")


def validate_nif(value: str, *, allow_obsolete: bool = False) -> None:
    """A Portuguese NIF: 9 digits, a prefix that is issued, and the mod-11 check digit.

    The check digit arithmetic is python-stdnum's; the prefix list is DOMAIN.md's.
    Obsolete prefix 8 is accepted only for imported legacy records.
    """
    number = normalize_nif(value)
    if not number.isdigit() or len(number) != 9:
        raise ValidationError(gettext_lazy("O NIF tem 9 algarismos."), code="nif_format")
    if not stdnum_nif.is_valid(number):
        raise ValidationError(
            gettext_lazy("Este NIF não é válido: confirme os algarismos."), code="nif_check"
        )
    if not number.startswith(NIF_PREFIXES) and not (allow_obsolete and number.startswith("8")):
        raise ValidationError(
            gettext_lazy("Este NIF não é válido: não existem NIF começados por {digit}.").format(
                digit=number[0]
            ),
            code="nif_prefix",
        )
