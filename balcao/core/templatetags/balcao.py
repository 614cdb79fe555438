from django import template
from django.utils.formats import date_format

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


@register.filter
def in_section(path: str, url: str) -> bool:
    """True when ``path`` is the page at ``url`` or below it (the home page only itself)."""
    if url == "/":
        return path == url
    return path.startswith(url)
