"""The signature chain of Portaria 363/2010 with a throwaway key."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ImproperlyConfigured

from balcao.billing import signature


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return signature.generate_key_pair(tmp_path_factory.mktemp("k") / "key.pem")


def test_the_signed_text_has_the_portarias_fields_in_order():
    message = signature.signing_message(
        invoice_date=datetime.date(2026, 10, 31),
        system_entry=datetime.datetime(2026, 10, 31, 9, 5, 7),
        number="FT 2026A/1",
        gross_total=D("26.7"),
        previous_hash="",
    )
    assert message == "2026-10-31;2026-10-31T09:05:07;FT 2026A/1;26.70;"


def test_sign_is_rsa_sha1_pkcs1_v15_in_base64_and_verifies(key):
    message = "2026-10-31;2026-10-31T09:05:07;FT 2026A/1;26.70;"
    signed = signature.sign(message, key)
    assert len(signed) == 172  # 1024-bit signature (the AT's): 128 bytes in base64, SAF-T's Hash
    assert signature.verify(message, signed, key.public_key())
    assert not signature.verify(message.replace("26.70", "26.71"), signed, key.public_key())
    # PKCS#1 v1.5 is deterministic: the same text, the same hash (SAF-T can be re-checked)
    assert signature.sign(message, key) == signed


def test_printed_characters_are_1_11_21_31():
    document_hash = "".join(chr(ord("A") + i % 26) + str(i % 10) for i in range(40))
    # positions 1, 11, 21, 31 (1-based) = indexes 0, 10, 20, 30
    expected = document_hash[0] + document_hash[10] + document_hash[20] + document_hash[30]
    assert signature.printed_characters(document_hash) == expected
    assert (
        signature.printed_characters("a" + "b" * 9 + "c" + "d" * 9 + "e" + "f" * 9 + "g") == "aceg"
    )


def test_the_certificate_sentence(settings):
    settings.BILLING_CERTIFICATE_NUMBER = "1234"
    assert signature.certificate_sentence() == "Processado por programa certificado n.º 1234/AT"


def test_a_missing_key_is_a_configuration_error(settings, tmp_path):
    settings.BILLING_PRIVATE_KEY_PATH = tmp_path / "none.pem"
    with pytest.raises(ImproperlyConfigured):
        signature.private_key()


def test_create_signing_key_never_replaces_a_key(settings, tmp_path):
    from django.core.management import call_command

    settings.BILLING_PRIVATE_KEY_PATH = tmp_path / "keys" / "k.pem"
    call_command("create_signing_key")
    first = settings.BILLING_PRIVATE_KEY_PATH.read_bytes()
    assert (tmp_path / "keys" / "k.pub.pem").exists()
    assert oct(settings.BILLING_PRIVATE_KEY_PATH.stat().st_mode & 0o777) == "0o600"
    call_command("create_signing_key")
    assert settings.BILLING_PRIVATE_KEY_PATH.read_bytes() == first
