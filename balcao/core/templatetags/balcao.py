import functools
from dataclasses import dataclass

from django import template
from django.forms import BaseForm
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from balcao.core.money import format_euros

register = template.Library()


@register.filter
def euros(amount):
    """26.74 -> "26,74 €"."""
    return format_euros(amount)


@register.filter(expects_localtime=True)  # an aware datetime shows Lisbon's date, not UTC's
def pt_date(value):
    """Dates as dd/mm/aaaa, whatever the interface language."""
    if not value:
        return ""
    return date_format(value, "d/m/Y")


@register.filter
def pt_datetime(value):
    if not value:
        return ""
    from django.utils import timezone

    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return date_format(value, "d/m/Y H:i")


@register.simple_tag
def fixed_url(view_name: str) -> str:
    """``{% url %}`` for a route without arguments, reversed once per process: the header,
    the menu and the footer name ten of them on every page, and reversing costs more than
    the rest of the menu (issue 14's profile). Keyed by the script prefix and the URLconf, which
    are all that a reverse without arguments depends on (the URLs have no language prefix).
    """
    return _reverse_once(view_name, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=128)
def _reverse_once(view_name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(view_name, urlconf=urlconf)


@register.filter
def in_section(path: str, url: str) -> bool:
    """True when ``path`` is the page at ``url`` or below it (the home page only itself)."""
    if url == "/":
        return path == url
    return path.startswith(url)


# Status tags --------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusTags:
    """How one model's (or one kind's) statuses show as tags.

    ``tones``: status -> the modifier of the .status class (ok, pending, bad); a status not
    named is "pending". ``label``: the attribute of the object that reads its status as the
    customer sees it, or, for a kind that is no model's, a {status: label} table.
    """

    tones: dict
    label: str | dict = "get_status_display"


# Every status the portal shows as a tag, in one table. Models are named by their label, so
# that core imports no app.
STATUS_TAGS: dict[str, StatusTags] = {
    "service_requests.servicerequest": StatusTags({"closed": "ok"}),
    "contracts.subscription": StatusTags(
        {"active": "ok", "rejected": "bad", "locked": "bad"},
        label="customer_status_label",  # an approval by letter still reads "Em avaliação"
    ),
    "readings.reading": StatusTags(
        {"billable": "ok", "invoiced": "ok"},
        label="status_label",  # with its reason or its invoice
    ),
    # An invoice as the customer reads it (billing's customer_status: "overdue" is an unpaid
    # invoice past its due date, "credit_note" a credit note).
    "invoice": StatusTags(
        {"paid": "ok", "overdue": "bad", "credit_note": "ok"},
        label={
            "paid": gettext_lazy("Pago"),
            "issued": gettext_lazy("Por pagar"),
            "overdue": gettext_lazy("Vencida"),
            "cancelled": gettext_lazy("Anulada"),
            "credit_note": gettext_lazy("Nota de crédito"),
        },
    ),
    # No model's field: a setting on or off, two-factor login on or off (a feminine noun in
    # Portuguese), a change the customer service has not answered yet.
    "setting": StatusTags(
        {True: "ok"}, label={True: gettext_lazy("Ativo"), False: gettext_lazy("Inativo")}
    ),
    "two_factor": StatusTags(
        {True: "ok"}, label={True: gettext_lazy("Ativa"), False: gettext_lazy("Desativada")}
    ),
    "change": StatusTags({}, label={"pending": gettext_lazy("Alteração pendente")}),
}
_NO_STATUS = object()


def status_tag_of(subject, status=_NO_STATUS) -> tuple[str, str]:
    """(tone, label) of a model instance's status, or of ``status`` of the kind ``subject``."""
    kind = subject if status is not _NO_STATUS else subject._meta.label_lower
    tags = STATUS_TAGS.get(kind)
    if tags is None:
        raise ValueError(f"status_tag: no status tags for {kind!r}")
    if status is _NO_STATUS:
        status = subject.status
        assert isinstance(tags.label, str)  # a model's tags name an attribute
        label = getattr(subject, tags.label)
        label = label() if callable(label) else label
    else:
        assert isinstance(tags.label, dict)  # a kind's tags are a table
        label = tags.label[status]
    return tags.tones.get(status, "pending"), label


@register.inclusion_tag("components/status_tag.html")
def status_tag(subject, status=_NO_STATUS):
    """``{% status_tag service_request %}``, ``{% status_tag "setting" account.e_invoice %}``:
    the status as a coloured tag, the same everywhere."""
    tone, label = status_tag_of(subject, status)
    return {"tone": tone, "label": label}


# Summary lists ------------------------------------------------------------------------
#
#   {% summary_list %}
#     {% summary_row _("Tipo") %}{{ service_request.get_request_type_display }}{% endsummary_row %}
#     {% if ... %}{% summary_row label %}…{% endsummary_row %}{% endif %}
#   {% endsummary_list %}
#
# renders components/summary_list.html (a <dl class="summary">) with the rows given;
# ``{% summary_list "panel" %}`` adds a class. Rows may sit inside if and for.
_ROWS = "_summary_list_rows"


class SummaryListNode(template.Node):
    def __init__(self, nodelist, extra_class):
        self.nodelist = nodelist
        self.extra_class = extra_class

    def render(self, context):
        rows: list[tuple[str, str]] = []
        with context.push({_ROWS: rows}):
            self.nodelist.render(context)  # the rows append themselves; the rest is whitespace
        extra_class = self.extra_class.resolve(context) if self.extra_class else ""
        component = context.template.engine.get_template("components/summary_list.html")
        return component.render(context.new({"rows": rows, "extra_class": extra_class}))


class SummaryRowNode(template.Node):
    def __init__(self, label, nodelist):
        self.label = label
        self.nodelist = nodelist

    def render(self, context):
        rows = context.get(_ROWS)
        if rows is None:
            raise template.TemplateSyntaxError("summary_row outside summary_list")
        rows.append((self.label.resolve(context), self.nodelist.render(context)))
        return ""


@register.tag
def summary_list(parser, token):
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("summary_list takes at most one extra class")
    extra_class = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endsummary_list",))
    parser.delete_first_token()
    return SummaryListNode(nodelist, extra_class)


@register.tag
def summary_row(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("summary_row takes one label")
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(parser.compile_filter(bits[1]), nodelist)


# The error summary --------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def forms_with_errors(context) -> list:
    """Every bound form in the page's context that has errors (each once), whatever the
    view named it: base.html shows them in the one error summary and prefixes the title
    with "Erro:"."""
    found: dict[int, BaseForm] = {}
    for value in context.flatten().values():
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            found.setdefault(id(value), value)
    return list(found.values())
