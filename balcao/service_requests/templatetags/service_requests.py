"""Tags for the contract detail's change buttons (service_requests/_change_actions.html)."""

from django import template

from balcao.service_requests.selectors import pending_change_fields

register = template.Library()


@register.simple_tag(takes_context=True)
def change_pending(context, contract, field: str) -> bool:
    """True when a change of this field of the contract waits for the customer service.

    One query per contract and page: the answer for every field is kept on the request.
    """
    request = context.get("request")
    cache = getattr(request, "_pending_change_fields", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._pending_change_fields = cache
    if contract.pk not in cache:
        cache[contract.pk] = pending_change_fields(contract)
    return field in cache[contract.pk]
