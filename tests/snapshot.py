"""What the portal stored, as comparable rows: "nothing changed" in the security suites."""

from django.apps import apps

# Reference data and per-request bookkeeping (the session tracker's last activity).
NOT_SNAPSHOT = {"core.District", "core.Municipality", "core.Parish", "accounts.UserSession"}
# Columns that change on every sign-in, whoever signs in.
NOT_COMPARED = {"last_login"}

# How a row belongs to a user, for the tables that hold a user's things.
OWNER_PATHS = {
    "accounts.User": "pk",
    "accounts.AccountEvent": "user",
    "accounts.PasswordHistory": "user",
    "contracts.Subscription": "user",
    "contracts.SubscriptionEvent": "subscription__user",
    "contracts.ActivationKey": "subscription__user",
    "contracts.Contract": "subscriptions__user",
    "contracts.Customer": "contracts__subscriptions__user",
    "contracts.Installation": "contracts__subscriptions__user",
    "readings.Reading": "installation__contracts__subscriptions__user",
    "readings.ReadingReminderPreference": "user",
    "service_requests.ServiceRequest": "user",
    "service_requests.RequestAttachment": "request__user",
    "notices.NoticeDismissal": "user",
}


def snapshot(owner=None) -> dict:
    """Every row of every table of the portal, or only the rows that belong to ``owner``."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("balcao.") or label in NOT_SNAPSHOT:
            continue
        queryset = model._default_manager.order_by("pk")
        if owner is not None:
            if label not in OWNER_PATHS:
                continue
            queryset = queryset.filter(**{OWNER_PATHS[label]: owner.pk}).distinct()
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in NOT_COMPARED]
        rows[label] = list(queryset.values_list(*fields))
    return rows
