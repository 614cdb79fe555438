"""The demo's billing data: DOMAIN.md's demo tariff (domestic, social, large family) and
its non-domestic tariff, loaded from data/tariffs/*.toml by ``seed_demo``."""

import datetime
import random
from pathlib import Path

from django.conf import settings

from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import read_tariff_file

TARIFF_DIR = Path(settings.BASE_DIR) / "data" / "tariffs"


def load_demo_tariffs() -> int:
    """Store every tariff of data/tariffs/; returns how many were stored."""
    count = 0
    for path in sorted(TARIFF_DIR.glob("*.toml")):
        tariffs, source = read_tariff_file(path)
        for data in tariffs:
            save_tariff(data, source=source)
            count += 1
    return count


def seed(*, rng: random.Random, today: datetime.date, stdout) -> None:
    count = load_demo_tariffs()
    stdout.write(f"Tarifários: {count}")
