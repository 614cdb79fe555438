"""Tariffs as data: the TOML file, the admin of group Faturação, frozen once used."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.computation import Service, TariffError, compute_bill
from balcao.billing.models import Tariff, TariffInUse, TariffPrice
from balcao.billing.selectors import tariff_in_force
from balcao.billing.services.invoices import issue_invoice
from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import parse_tariff
from balcao.billing.tests.conftest import TARIFFS, demo_tariffs
from balcao.contracts.tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing_clerk(db):
    user = UserFactory(username="faturacao", is_staff=True)
    user.groups.add(Group.objects.get(name="Faturação"))
    return user


def issue_one(tariff, period_end=datetime.date(2026, 10, 30)):
    data = tariff.to_data()
    start = datetime.date(2026, 10, 1)
    days = (period_end - start).days + 1
    return issue_invoice(
        contract=ContractFactory(tariff_type=tariff.tariff_type),
        period_start=start,
        period_end=period_end,
        tariff=tariff,
        computation=compute_bill(data, water_volume=D("10"), days=days),
    )


def test_load_tariff_stores_the_demo_tariff_for_three_types(capsys):
    call_command("load_tariff", str(TARIFFS / "demo.toml"))
    call_command("load_tariff", str(TARIFFS / "non-domestic.toml"))
    assert set(Tariff.objects.values_list("tariff_type", flat=True)) == {
        "domestic", "social", "large_family", "non_domestic",
    }  # fmt: skip
    domestic = tariff_in_force("domestic", datetime.date(2026, 10, 1))
    assert domestic is not None
    # stored and read back, the data is the file's: the same bill (26.74, as computed by
    # hand in test_computation)
    assert domestic.to_data() == demo_tariffs()["domestic"]
    bill = compute_bill(domestic.to_data(), water_volume=D("10"), days=30)
    assert bill.gross_total == D("26.74")
    water = domestic.prices.filter(service=Service.WATER, kind="variable")
    assert sorted((p.up_to or D(99), p.price) for p in water) == [
        (D("5"), D("0.59")), (D("15"), D("0.70")), (D("25"), D("1.50")), (D(99), D("2.75")),
    ]  # fmt: skip


def test_load_tariff_refuses_a_second_copy_unless_replaced():
    call_command("load_tariff", str(TARIFFS / "non-domestic.toml"))
    with pytest.raises(CommandError, match="exists"):
        call_command("load_tariff", str(TARIFFS / "non-domestic.toml"))
    call_command("load_tariff", str(TARIFFS / "non-domestic.toml"), "--replace")
    assert Tariff.objects.count() == 1
    assert TariffPrice.objects.count() == 8  # 3 fixed parts + 5 flat prices


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name = 1", "no 'tariff_types'"),
        (
            'name="x"\ntariff_types=["domestic"]\nvalid_from=2025-01-01\n'
            "[services.water]\nvat_rate=6\nprice=1\nbands=[{price=1}]",
            "either bands or a flat price",
        ),
        (
            'name="x"\ntariff_types=["domestic"]\nvalid_from=2025-01-01\n[services.water]\nprice=1',
            "either a rate or an exemption",
        ),
        (
            'name="x"\ntariff_types=["domestic"]\nvalid_from=2025-01-01\n'
            "[services.water]\nvat_rate=6\n"
            "bands=[{up_to=15, price=1},{up_to=5, price=1},{price=2}]",
            "increase",
        ),
        (
            'name="x"\ntariff_types=["domestic"]\nvalid_from=2025-01-01\n'
            "[services.water]\nvat_rate=6\nbands=[{up_to=5, price=1}]",
            "no upper limit",
        ),
        ('name="x"\ntariff_types=["hotel"]\nvalid_from=2025-01-01\n[services]', "tariff_types"),
        ('name="x"\ntariff_types=["domestic"]\nvalid_from=2025-01-01\n[services.gas]', "gas"),
    ],
)
def test_a_malformed_file_is_refused_with_a_reason(text, message):
    with pytest.raises(TariffError, match=message):
        parse_tariff(text)


def test_numbers_are_decimals_not_floats():
    tariffs, _ = parse_tariff(
        'name="x"\ntariff_types=["domestic"]\nvalid_from=2025-01-01\n'
        "[services.water]\nvat_rate=6\nprice=0.1\nfixed=0.3"
    )
    terms = tariffs[0].terms(Service.WATER)
    assert terms.bands[0].price == D("0.1") and terms.fixed[0].price == D("0.3")


def test_a_used_tariff_is_frozen_in_the_models_and_the_service(demo_tariff):
    issue_one(demo_tariff)
    demo_tariff.refresh_from_db()
    demo_tariff.name = "Outro"
    with pytest.raises(TariffInUse):
        demo_tariff.save()
    price = demo_tariff.prices.first()
    price.price = D("9")
    with pytest.raises(TariffInUse):
        price.save()
    with pytest.raises(TariffInUse):
        demo_tariff.services.first().delete()
    with pytest.raises(TariffInUse):
        save_tariff(demo_tariffs()["domestic"], replace=True)


def test_a_new_tariff_supersedes_only_from_after_the_last_billed_day(demo_tariff):
    issue_one(demo_tariff)  # billed up to 30/10/2026
    data = demo_tariffs()["domestic"]
    with pytest.raises(ValidationError):
        save_tariff(type(data)(**{**data.__dict__, "valid_from": datetime.date(2026, 10, 30)}))
    newer = save_tariff(type(data)(**{**data.__dict__, "valid_from": datetime.date(2026, 10, 31)}))
    assert tariff_in_force("domestic", datetime.date(2026, 10, 30)) == demo_tariff
    assert tariff_in_force("domestic", datetime.date(2026, 10, 31)) == newer


def test_faturacao_edits_tariffs_in_the_admin_until_one_is_used(client, billing_clerk, demo_tariff):
    client.force_login(billing_clerk)
    url = reverse("admin:billing_tariff_change", args=[demo_tariff.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="name"' in page.content.decode()  # editable
    issue_one(demo_tariff)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # read-only now
    response = client.post(url, {"name": "Mudado"})
    assert response.status_code == 403
    demo_tariff.refresh_from_db()
    assert demo_tariff.name != "Mudado"


def test_faturacao_sets_the_series_validation_code_before_its_first_document(
    client, billing_clerk, demo_tariff
):
    invoice = issue_one(demo_tariff)
    client.force_login(billing_clerk)
    page = client.get(reverse("admin:billing_invoiceseries_change", args=[invoice.series.pk]))
    assert page.status_code == 200
    assert 'name="validation_code"' not in page.content.decode()  # in use: read-only
    page = client.get(reverse("admin:billing_invoice_change", args=[invoice.pk]))
    assert page.status_code == 200 and invoice.atcud in page.content.decode()
    assert 'name="gross_total"' not in page.content.decode()


def test_the_atendimento_clerk_reads_invoices_but_not_tariff_editing(client, clerk, demo_tariff):
    invoice = issue_one(demo_tariff)
    client.force_login(clerk)
    assert client.get(reverse("admin:billing_invoice_change", args=[invoice.pk])).status_code == 200
    assert client.get(reverse("admin:billing_tariff_add")).status_code == 403
