"""Multibanco references (DOMAIN.md "Payments"): check = 98 − (N × 100 mod 97), where N is
entity (5) ‖ sub-entity + id (7) ‖ amount in cents (8). The hand derivations reduce the
22 digits (N followed by 00) modulo 97 six digits at a time: r ← (r · 10^k + next k) mod 97."""

from decimal import Decimal as D

import pytest

from balcao.billing.multibanco import check_digits, multibanco_reference


def test_the_published_example():
    # 90150 ‖ 1231234 ‖ 00043211 ‖ 00:
    # 901501 mod 97 = 80; (80·10^6 + 231234) mod 97 = 12; (12·10^6 + 000432) mod 97 = 77;
    # (77·10^4 + 1100) mod 97 = 47 → 98 − 47 = 51
    reference = multibanco_reference(
        entity="90150", sub_entity="123", document_id=1234, amount=D("432.11")
    )
    assert reference.reference == "123123451"
    assert reference.formatted_reference == "123 123 451"
    assert reference.entity == "90150" and reference.amount == D("432.11")


@pytest.mark.parametrize(
    ("entity", "body", "amount", "expected"),
    [
        # 21234 ‖ 9990001 ‖ 00001000 ‖ 00: 212349 mod 97 = 16; (16·10^6 + 990001) mod 97
        # = 63; (63·10^6 + 000010) mod 97 = 62; (62·10^4 + 0000) mod 97 = 73 → 25
        ("21234", "9990001", D("10.00"), "25"),
        # 11604 ‖ 1230042 ‖ 00002674 ‖ 00: 116041 mod 97 = 29; (29·10^6 + 230042) mod 97
        # = 62; (62·10^6 + 000026) mod 97 = 51; (51·10^4 + 7400) mod 97 = 2 → 96
        ("11604", "1230042", D("26.74"), "96"),
        # 90150 ‖ 0009999 ‖ 00000001 ‖ 00: 901500 mod 97 = 79; (79·10^6 + 009999) mod 97
        # = 7; (7·10^6 + 000000) mod 97 = 92; (92·10^4 + 0100) mod 97 = 55 → 43
        ("90150", "0009999", D("0.01"), "43"),
        # 12345 ‖ 1230123 ‖ 00012345 ‖ 00: 123451 mod 97 = 67; (67·10^6 + 230123) mod 97
        # = 5; (5·10^6 + 000123) mod 97 = 64; (64·10^4 + 4500) mod 97 = 32 → 66
        ("12345", "1230123", D("123.45"), "66"),
    ],
)
def test_check_digits_derived_by_hand(entity, body, amount, expected):
    assert check_digits(entity, body, amount) == expected


def test_the_id_is_the_documents_last_4_digits():
    # invoice 41234 → id 1234: the published example again
    reference = multibanco_reference(
        entity="90150", sub_entity="123", document_id=41234, amount=D("432.11")
    )
    assert reference.reference == "123123451"


@pytest.mark.parametrize(
    ("entity", "body", "amount"),
    [("9015", "1231234", D("1")), ("90150", "123123", D("1")), ("90150", "1231234", D("0"))],
)
def test_malformed_inputs_are_refused(entity, body, amount):
    with pytest.raises(ValueError):
        check_digits(entity, body, amount)
