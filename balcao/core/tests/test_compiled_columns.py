"""core.compiled_columns and core.json_columns: related rows read as JSON columns of a
row, compiled once, with the same values as the subqueries Django compiles each time; a
compiled column refuses the queries where its SQL would name the wrong row."""

import pytest
from django.db import NotSupportedError
from django.db.models import Count, Exists, OuterRef, Subquery

from balcao.core.compiled_columns import CompiledColumn
from balcao.core.json_columns import JsonObject, JsonRows, parse
from balcao.core.models import District, Municipality

pytestmark = pytest.mark.django_db


def municipalities_of_the_district():
    return Subquery(
        Municipality.objects.filter(district=OuterRef("pk"))
        .order_by()
        .values("district_id")
        .annotate(rows=JsonRows(code="code", name="name"))
        .values("rows")
    )


@pytest.fixture
def districts():
    leiria = District.objects.create(code="XL", name="Leiria de teste")
    empty = District.objects.create(code="XE", name="Sem concelhos")
    for code, name in [("X001", "Batalha"), ("X002", "Pombal")]:
        Municipality.objects.create(district=leiria, code=code, name=name)
    return leiria, empty


def test_a_compiled_column_reads_what_the_subquery_reads(districts):
    leiria, empty = districts
    columns = {
        "rows": municipalities_of_the_district(),
        "first": Subquery(
            Municipality.objects.filter(district=OuterRef("pk"))
            .order_by("code")
            .values(row=JsonObject(code="code", district="district__code"))[:1]
        ),
        "has_any": Exists(Municipality.objects.filter(district=OuterRef("pk"))),
    }
    compiled = {name: CompiledColumn(District, column) for name, column in columns.items()}
    for _ in range(2):  # compiled the first time, then reused
        read = District.objects.filter(pk__in=[leiria.pk, empty.pk]).annotate(**compiled)
        plain = District.objects.filter(pk__in=[leiria.pk, empty.pk]).annotate(**columns)
        assert list(read.values(*columns)) == list(plain.values(*columns))
    by_code = {
        d.code: d for d in District.objects.filter(code__startswith="X").annotate(**compiled)
    }
    rows = sorted(parse(by_code["XL"].rows), key=lambda row: row["code"])
    assert rows == [{"code": "X001", "name": "Batalha"}, {"code": "X002", "name": "Pombal"}]
    assert parse(by_code["XL"].first) == {"code": "X001", "district": "XL"}
    assert by_code["XL"].has_any is True
    assert (parse(by_code["XE"].rows), by_code["XE"].first, by_code["XE"].has_any) == (
        None,
        None,
        False,
    )


def test_a_compiled_column_refuses_the_queries_its_sql_does_not_fit(districts):
    column = CompiledColumn(District, municipalities_of_the_district())
    with pytest.raises(NotSupportedError):
        Municipality.objects.annotate(rows=column)  # another model's rows
    nested = District.objects.annotate(rows=column).filter(rows__isnull=False).values("pk")
    with pytest.raises(NotSupportedError):  # nested, its table is renamed
        list(Municipality.objects.filter(district__in=nested))
    grouped = District.objects.annotate(rows=column, n=Count("municipalities"))
    assert {d.code: d.n for d in grouped.filter(code__startswith="X")} == {"XL": 2, "XE": 0}
    with pytest.raises(ValueError):  # its outer reference goes through a join
        CompiledColumn(
            Municipality,
            Exists(District.objects.filter(code=OuterRef("district__code"))),
        )
