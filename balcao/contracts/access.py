"""The one way to reach a contract from a portal user: through their own active subscription.

Another user's contract, a contract that does not exist and one whose subscription is
not active all answer 404, so that nothing reveals which contracts exist.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from balcao.contracts import subscription_cache
from balcao.contracts.models import Contract, Subscription
from balcao.core import request_cache


def active_subscriptions(user) -> QuerySet[Subscription]:
    """The user's active subscriptions, with what most pages show of their contracts (the
    account, the installation's address), in one query.

    Every signed-in page runs it: each table joined costs the ORM a model instance per row
    and its columns to compile, so the holder and the two other addresses, which only the
    contract's own page shows, are left to get_contract_page_subscription.
    """
    if not user.is_authenticated:
        return Subscription.objects.none()
    return (
        Subscription.objects.filter(user=user, status=Subscription.Status.ACTIVE)
        .select_related("contract__account", "contract__installation__address")
        .order_by("custom_name", "pk")
    )


def active_subscription_list(user) -> list[Subscription]:
    """The user's active subscriptions, fetched once per request (balcao/core/request_cache.py)
    and shared by the header's selector, the page's access check and the notices; between
    requests, kept in the cache under a version every write to their tables changes
    (balcao/contracts/subscription_cache.py). Outside a request, always the query.
    """
    cache = request_cache.of(user)
    if cache is None:
        return list(active_subscriptions(user))
    if "subscriptions" not in cache:
        cache["subscriptions"] = subscription_cache.fetch(
            user, lambda: list(active_subscriptions(user))
        )
    return cache["subscriptions"]


def get_subscription_for_user(user, contract_number: str) -> Subscription:
    """The user's active subscription to the contract with this number, or 404."""
    if request_cache.of(user) is None:
        return get_object_or_404(
            active_subscriptions(user), contract__contract_number=contract_number
        )
    for subscription in active_subscription_list(user):
        if subscription.contract and subscription.contract.contract_number == contract_number:
            return subscription
    raise Http404("No such contract.")


def get_contract_page_subscription(user, contract_number: str) -> Subscription:
    """Like get_subscription_for_user, with the holder and every address the contract's page
    shows (one narrow query beside the shared list), or 404.
    """
    subscription = get_subscription_for_user(user, contract_number)
    contract = subscription.contract
    assert contract is not None  # an active subscription has its contract
    holder_and_account = (
        Contract.objects.filter(pk=contract.pk)
        .select_related("customer__correspondence_address", "account__billing_address")
        .get()
    )
    contract.customer = holder_and_account.customer
    contract.account = holder_and_account.account
    return subscription


def get_subscription_request_for_user(user, reference) -> Subscription:
    """The user's own request to add a contract (any status but removed), by its reference,
    or 404. (Not service_requests' get_request_for_user, which finds a "Pedido".)
    """
    if not user.is_authenticated:
        raise Http404("No such request.")
    return get_object_or_404(
        Subscription.objects.filter(user=user).exclude(status=Subscription.Status.REMOVED),
        reference=reference,
    )
