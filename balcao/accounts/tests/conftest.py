"""Fixtures for the accounts tests: mail sent at once, and helpers to read it."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from balcao.core.models import Parish
from balcao.core.territory import ensure_territory


@pytest.fixture(autouse=True)
def _mail_at_once(monkeypatch):
    """The test database never commits, so after-commit e-mail is sent at once here."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The mail limits count in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def link_in_last_mail(to: str | None = None) -> str:
    """The path of the first link of the last message (to ``to``, if given)."""
    messages = [m for m in mail.outbox if to is None or to in m.to]
    assert messages, f"no e-mail to {to}"
    match = re.search(r"https?://[^/\s]+(/\S+)", messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


@pytest.fixture
def leiria(db):
    municipality = ensure_territory()
    parish = Parish.objects.filter(municipality=municipality).order_by("name").first()
    return {
        "district": municipality.district_id,
        "municipality": municipality.pk,
        "parish": parish.pk,
    }


@pytest.fixture
def step1_data(leiria):
    return {
        "first_name": "Joana",
        "last_name": "Ferreira Lopes",
        "nif": "501964843",
        "phone": "244000111",
        "mobile": "912345678",
        "street": "Rua Barão de Viamonte",
        "door": "7",
        "floor": "1.º Dto.",
        "postal_code": "2400-137",
        "postal_locality": "Leiria",
        "locality": "Leiria",
        **{key: str(value) for key, value in leiria.items()},
    }


@pytest.fixture
def step2_data():
    return {
        "email": "joana.lopes@example.pt",
        "username": "joana",
        "password1": "rio Lis corre devagar",
        "password2": "rio Lis corre devagar",
        "accept_terms": "on",
    }
