"""The contract chosen in the header's selector (manual section 5), kept in the session.

Owned by contracts (it owns subscriptions) so that every app's pages (portal, readings, …)
share one choice without importing the portal.
"""

from balcao.contracts.access import active_subscription_list

SESSION_KEY = "selected_contract"


def user_subscriptions(request) -> list:
    """The signed-in user's active subscriptions, fetched once per request."""
    if not hasattr(request, "_balcao_subscriptions"):
        request._balcao_subscriptions = active_subscription_list(request.user)
    return request._balcao_subscriptions


def selected_subscription(request):
    """The subscription chosen in the header, or the first one; None without contracts."""
    subscriptions = user_subscriptions(request)
    if not subscriptions:
        return None
    chosen = request.session.get(SESSION_KEY)
    for subscription in subscriptions:
        if subscription.contract.contract_number == chosen:
            return subscription
    return subscriptions[0]


def select_contract(request, contract_number: str) -> bool:
    """Remember the choice if the contract is one of the user's; False otherwise."""
    if any(s.contract.contract_number == contract_number for s in user_subscriptions(request)):
        request.session[SESSION_KEY] = contract_number
        return True
    return False
