from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def m3(value):
    """A volume in m³ with one decimal, in the interface's number format (12,3)."""
    if value is None:
        return ""
    return number_format(Decimal(value), 1, use_l10n=True)
