"""The contract chosen in the header's selector (manual section 5), kept in the session.

Owned by contracts (it owns subscriptions) so that every app's pages (portal, readings, …)
share one choice without importing the portal.
"""

from balcao.contracts.access import active_subscription_list

SESSION_KEY = "selected_contract"
PAGE_ATTRIBUTE = "_balcao_contract_on_page"
# The contract's tabs link pages that follow the header (Resumo, Ver faturas) with
# ?contrato=<number>, so that they show the contract whose tabs were followed.
QUERY_PARAMETER = "contrato"


def show_contract_on_page(request, contract_number: str) -> None:
    """The page shows an object of this contract (an invoice): the header names it."""
    setattr(request, PAGE_ATTRIBUTE, contract_number)


def user_subscriptions(request) -> list:
    """The signed-in user's active subscriptions, fetched once per request."""
    if not hasattr(request, "_balcao_subscriptions"):
        request._balcao_subscriptions = active_subscription_list(request.user)
    return request._balcao_subscriptions


def selected_subscription(request):
    """The subscription chosen in the header, or the first one; None without contracts.

    On a page about one of the user's contracts (its URL names the contract, or its view
    says whose object it shows with ``show_contract_on_page``, or a contract tab's link asks
    for it with ``?contrato=``) the header names that contract, so it never says "Casa" over
    Loja's details; the choice kept in the session changes only by "Mudar" (a GET writes
    nothing).
    """
    subscriptions = user_subscriptions(request)
    if not subscriptions:
        return None
    match = getattr(request, "resolver_match", None)
    on_page = getattr(request, PAGE_ATTRIBUTE, None) or (
        match.kwargs.get("contract_number") if match is not None else None
    )
    asked = request.GET.get(QUERY_PARAMETER)
    by_number = {s.contract.contract_number: s for s in subscriptions}
    for chosen in (on_page, asked, request.session.get(SESSION_KEY)):
        if chosen in by_number:
            return by_number[chosen]
    return subscriptions[0]


def select_contract(request, contract_number: str) -> bool:
    """Remember the choice if the contract is one of the user's; False otherwise."""
    if any(s.contract.contract_number == contract_number for s in user_subscriptions(request)):
        request.session[SESSION_KEY] = contract_number
        return True
    return False
