"""core.bulk's insert_rows and insert_values write what bulk_create writes: every column,
foreign keys to objects saved after they were assigned, keys back when asked, more rows
than a statement takes."""

import datetime

import pytest

from balcao.core.bulk import insert_rows, insert_values
from balcao.core.models import District, Municipality, Parish

pytestmark = pytest.mark.django_db


def test_rows_keys_and_foreign_keys_as_bulk_create_writes_them():
    districts = [District(code=f"X{n}", name=f"Distrito {n}") for n in range(3)]
    municipalities = [
        Municipality(district=district, code=f"Y{n}", name=f"Concelho {n}")
        for n, district in enumerate(districts)
    ]  # assigned before the districts have keys

    insert_rows(districts, returning_pks=True)
    insert_rows(municipalities, returning_pks=True)

    assert [d.pk for d in districts] == list(
        District.objects.filter(code__startswith="X").order_by("code").values_list("pk", flat=True)
    )
    stored = Municipality.objects.filter(code__startswith="Y").order_by("code")
    assert [(m.pk, m.district_id, m.name) for m in stored] == [
        (m.pk, d.pk, m.name) for m, d in zip(municipalities, districts, strict=True)
    ]
    assert not districts[0]._state.adding


def test_more_rows_than_a_statement_takes():
    municipality = Municipality.objects.create(
        district=District.objects.create(code="Z1", name="Z"), code="Z001", name="Z"
    )
    day = datetime.date(2026, 10, 31)
    parishes = [
        Parish(
            municipality=municipality,
            name=f"Freguesia {n}",
            valid_from=day - datetime.timedelta(days=n),
            valid_to=None if n % 2 else day,
        )
        for n in range(1200)  # SQLite: 999 parameters a statement, 4 columns a row
    ]

    insert_rows(parishes)

    stored = Parish.objects.filter(municipality=municipality).order_by("pk")
    assert [(p.name, p.valid_from, p.valid_to) for p in stored] == [
        (p.name, p.valid_from, p.valid_to) for p in parishes
    ]


def test_values_without_instances_as_instances_write_them():
    municipality = Municipality.objects.create(
        district=District.objects.create(code="W1", name="W"), code="W001", name="W"
    )
    day = datetime.date(2026, 10, 31)

    insert_values(
        Parish,
        ("municipality", "name", "valid_from", "valid_to"),
        [(municipality.pk, "Freguesia A", day, None), (municipality.pk, "Freguesia B", day, day)],
    )

    assert list(
        Parish.objects.filter(municipality=municipality)
        .order_by("name")
        .values_list("name", "valid_from", "valid_to")
    ) == [("Freguesia A", day, None), ("Freguesia B", day, day)]


def test_values_with_their_keys_back_in_the_rows_order():
    keys = insert_values(
        District,
        ("code", "name"),
        [(f"V{n}", f"Distrito {n}") for n in range(3)],
        returning_pks=True,
    )

    assert keys == list(
        District.objects.filter(code__startswith="V").order_by("code").values_list("pk", flat=True)
    )
    assert insert_values(District, ("code", "name"), [], returning_pks=True) == []
