"""The benchmark's settings: the production ones, plus a bare view (bench/urls.py)."""

from balcao.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
