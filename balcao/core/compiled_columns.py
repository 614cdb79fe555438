"""A subquery column compiled to SQL once, not on every request.

Django resolves and compiles every subquery of a queryset each time the queryset runs:
for a page that reads its state as subquery columns of one row (the invoice's page), that
is most of the Python the page costs, spent to produce the same SQL each time. A
``CompiledColumn`` resolves its expression once, against the model's own table, and keeps
the SQL it compiles to per database connection.

Its SQL refers to the outer row by the table's name ("billing_invoice"."id"), which is how
a top-level query of the model names it: used anywhere else (a query of another model,
the query nested in another one, which renames its tables), it refuses to compile rather
than refer to the wrong row. Its expression must take nothing from the request either:
its parameters are compiled once too.
"""

from typing import Any

from django.db import NotSupportedError
from django.db.models import Expression, Model
from django.db.models.sql import Query


class CompiledColumn(Expression):
    """``expression`` (a Subquery or Exists whose OuterRefs name columns of ``model``'s own
    table) as a column of ``model``'s top-level queries, compiled once per connection."""

    def __init__(self, model: type[Model], expression: Any) -> None:
        query = Query(model)
        query.add_annotation(expression, "column")
        joined = [
            alias
            for alias, count in query.alias_refcount.items()
            if count and alias != query.base_table
        ]
        if joined:
            raise ValueError(
                f"{expression!r} refers to other tables than {model.__name__}'s: {joined}"
            )
        self.model = model
        self._query = query
        self._resolved = query.annotations["column"]
        self._sql: dict[str, tuple[str, Any]] = {}  # shared by the copies annotate() makes
        super().__init__(output_field=self._resolved.output_field)

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> "CompiledColumn":
        if query is not None and query.model is not self.model:
            raise NotSupportedError(f"A column of {self.model.__name__}'s queries only.")
        return self.copy()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:
        table = self.model._meta.db_table
        query = compiler.query
        if query.subquery or query.model is not self.model or query.base_table != table:
            raise NotSupportedError(f"A column of {self.model.__name__}'s top-level queries only.")
        try:
            return self._sql[connection.alias]
        except KeyError:
            compiled = self._query.get_compiler(connection=connection).compile(self._resolved)
            self._sql[connection.alias] = compiled
            return compiled
