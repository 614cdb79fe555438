"""Billing's fixtures: DOMAIN.md's demo tariffs, as data and stored."""

from pathlib import Path

import pytest
from django.conf import settings

from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import read_tariff_file

TARIFFS = Path(settings.BASE_DIR) / "data" / "tariffs"


def demo_tariffs():
    """The demo tariff file: domestic, social and large family, the same prices."""
    tariffs, _source = read_tariff_file(TARIFFS / "demo.toml")
    return {tariff.tariff_type: tariff for tariff in tariffs}


@pytest.fixture
def demo_tariff_data():
    return demo_tariffs()["domestic"]


@pytest.fixture
def non_domestic_tariff_data():
    tariffs, _source = read_tariff_file(TARIFFS / "non-domestic.toml")
    return tariffs[0]


@pytest.fixture
def demo_tariff(db):
    """The demo tariff stored, for the domestic type."""
    return save_tariff(demo_tariffs()["domestic"])
