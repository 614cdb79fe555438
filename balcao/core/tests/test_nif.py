"""NIF validation (DOMAIN.md: mod-11 check digit and the prefixes that are issued)."""

import pytest
from django.core.exceptions import ValidationError

from balcao.core.nif import validate_nif


@pytest.mark.parametrize(
    "nif", ["501964843", "123456789", "136695973", "232013969", "999999990", "PT501964843"]
)
def test_valid_nifs(nif):
    validate_nif(nif)


@pytest.mark.parametrize(
    ("nif", "code"),
    [
        ("501964842", "nif_check"),  # DOMAIN.md's published invalid example
        ("12345678", "nif_format"),
        ("1234567890", "nif_format"),
        ("12345678A", "nif_format"),
        ("", "nif_format"),
    ],
)
def test_invalid_nifs(nif, code):
    with pytest.raises(ValidationError) as error:
        validate_nif(nif)
    assert error.value.code == code


def test_prefixes_never_issued_are_refused():
    # 4 alone (only 45) and 8 (obsolete) have valid check digits here but are not issued.
    from stdnum.pt import nif

    for stem in ("4000000", "8000000", "7300000", "9200000"):
        number = stem + "0" + nif.calc_check_digit(stem + "0")
        with pytest.raises(ValidationError) as error:
            validate_nif(number)
        assert error.value.code == "nif_prefix"


def test_obsolete_prefix_8_only_for_legacy_records():
    from stdnum.pt import nif

    number = "80000000" + nif.calc_check_digit("80000000")
    validate_nif(number, allow_obsolete=True)
