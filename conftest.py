"""Test personas shared by every app (STYLE.md): ana, bruno and the clerk."""

import os

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation
from hypothesis import HealthCheck, settings

from balcao.accounts.tests.factories import PASSWORD, UserFactory
from balcao.contracts.tests.factories import ContractFactory, CustomerFactory, SubscriptionFactory

# Hypothesis (tests/test_fuzz_forms.py): a few dozen hostile inputs per form keep the fuzz
# suite under two minutes on SQLite; no example database is written to the work tree.
# HYPOTHESIS_PROFILE=deep tries many more, by hand.
settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the database is per test, not per example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.register_profile("deep", settings.get_profile("ci"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def signing_key_path(tmp_path_factory):
    """A throwaway key pair that signs the tests' invoices (never the demo's or a real one)."""
    from balcao.billing.signature import generate_key_pair

    path = tmp_path_factory.mktemp("keys") / "billing-private.pem"
    generate_key_pair(path)
    return path


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, signing_key_path):
    """A fast password hasher, files (letters, mail, media) in a temporary folder, and a
    throwaway invoice signing key."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.BILLING_PRIVATE_KEY_PATH = signing_key_path
    settings.LETTERS_DIR = tmp_path / "letters"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = True
    # One process and a cache cleared per test: the subscription lists kept between
    # requests (as in production with Redis) are exercised by every page test.
    settings.SUBSCRIPTIONS_CACHE = True


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counters kept in the cache (mail rate limits) start from zero, also on a shared Redis."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _portuguese_by_default():
    """Each test starts in Portuguese: a request in English must not leak into the next test."""
    translation.activate("pt-pt")
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def ana(db):
    """A customer with two active contracts in the portal: "Casa" and "Loja"."""
    user = UserFactory(
        username="ana",
        email="ana.silva@example.pt",
        first_name="Ana",
        last_name="Silva",
        nif="232013969",
    )
    customer = CustomerFactory(name="Ana Silva", nif="232013969", email="ana.silva@example.pt")
    SubscriptionFactory(user=user, custom_name="Casa", contract=ContractFactory(customer=customer))
    SubscriptionFactory(user=user, custom_name="Loja", contract=ContractFactory(customer=customer))
    return user


@pytest.fixture
def bruno(db):
    """Another customer, with one contract: every access test tries his objects as ana."""
    user = UserFactory(
        username="bruno",
        email="bruno.costa@example.pt",
        first_name="Bruno",
        last_name="Costa",
        nif="245929665",
    )
    customer = CustomerFactory(name="Bruno Costa", nif="245929665", email="bruno.costa@example.pt")
    SubscriptionFactory(user=user, custom_name="Casa", contract=ContractFactory(customer=customer))
    return user


@pytest.fixture
def clerk(db):
    """Customer-service staff (group Atendimento)."""
    user = UserFactory(username="atendimento", is_staff=True, first_name="Carla")
    group, _ = Group.objects.get_or_create(name="Atendimento")
    user.groups.add(group)
    return user


@pytest.fixture
def ana_client(client, ana):
    client.force_login(ana)
    return client


@pytest.fixture
def bruno_client(client, bruno):
    client.force_login(bruno)
    return client


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite tests use a file, as production does, not the in-memory database.

    Threads share an in-memory database through SQLite's shared cache, which answers
    "database table is locked" at once instead of waiting; a file with WAL and IMMEDIATE
    transactions queues the writers, so tests/test_concurrency.py runs on SQLite too.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(
            tmp_path_factory.mktemp("db") / "test.sqlite3"
        )
