from balcao.contracts.selection import selected_subscription, user_subscriptions


def contract_selector(request):
    """The header's contract selector, on every page of a signed-in customer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def subscriptions():
        return user_subscriptions(request)

    def selected():
        return selected_subscription(request)

    # Callables: evaluated only by templates that show the selector.
    return {"header_subscriptions": subscriptions, "selected_subscription": selected}
