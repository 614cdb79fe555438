"""The demo's notices: a planned cut in the parish of Ana's "Casa", and a few more."""

import datetime
import io
import random

import pytest
import time_machine
from django.utils import timezone

from balcao.contracts.tests.factories import ContractFactory, InstallationFactory
from balcao.core.tests.factories import AddressFactory
from balcao.notices import demo
from balcao.notices.models import Notice
from balcao.notices.selectors import notices_for_user
from balcao.notices.tests.conftest import customer_in

NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_the_demo_cut_reaches_the_parish_of_casa_only(parishes):
    first, other = parishes
    ContractFactory(
        contract_number="600001",
        installation=InstallationFactory(address=AddressFactory(parish=other)),
    )
    here, elsewhere = customer_in(parish=other), customer_in(parish=first)
    with time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        demo.seed(rng=random.Random(2026), today=timezone.localdate(), stdout=out)
        cut = Notice.objects.get(audience=Notice.Audience.PARISH, starts_at__lte=timezone.now())
        assert cut.parish == other and "12/03/2026" in cut.text
        assert cut in notices_for_user(here) and cut not in notices_for_user(elsewhere)
        assert {n.title for n in notices_for_user(elsewhere)} == {
            "Bem-vindo ao novo Balcão Digital",
            "Comunique a sua leitura",
        }
    assert Notice.objects.count() == 5  # no "Loja" contract here: no contract notice
    assert all(notice.events.count() == 1 for notice in Notice.objects.all())
    assert "corte programado" in out.getvalue()
