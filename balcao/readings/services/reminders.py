"""The reminder e-mail when a reading window opens (manual 6.3), and the customer's opt-in."""

import datetime

from django.db import transaction
from django.urls import reverse

from balcao.accounts.models import User
from balcao.contracts.models import Subscription
from balcao.core.links import absolute_url
from balcao.core.mail import send_templated_email
from balcao.readings.models import Reading, ReadingReminder, ReadingReminderPreference
from balcao.readings.windows import window_for


@transaction.atomic
def set_reminder_preference(*, user: User, enabled: bool) -> ReadingReminderPreference:
    """The customer's opt-in for the e-mail sent when a reading window opens."""
    preference, _created = ReadingReminderPreference.objects.update_or_create(
        user=user, defaults={"enabled": enabled}
    )
    return preference


def send_reading_reminders(*, today: datetime.date) -> int:
    """E-mail the customers who asked for it that their reading window is open (manual 6.3).

    One e-mail per customer and window, listing their contracts whose window contains
    ``today`` and that have no customer reading in it yet. Safe to run more than once a
    day: a reminder sent is recorded. Returns how many e-mails were sent.
    """
    subscriptions = list(
        Subscription.objects.filter(
            status=Subscription.Status.ACTIVE,
            user__reading_reminder_preference__enabled=True,
            user__is_active=True,
            contract__installation__reading_window_start__lte=today.day,
            contract__installation__reading_window_end__gte=today.day,
        )
        .exclude(user__email="")
        .select_related("user", "contract__installation")
        .order_by("user_id", "custom_name", "pk")
    )
    if not subscriptions:
        return 0
    month_start = today.replace(day=1)
    installation_ids = {s.contract.installation_id for s in subscriptions}  # type: ignore[union-attr]  # filtered on contract
    read_on: dict[int, list[datetime.date]] = {}
    for installation_id, day in Reading.objects.filter(
        installation_id__in=installation_ids,
        origin=Reading.Origin.CUSTOMER,
        taken_on__gte=month_start,
        taken_on__lte=today,
    ).values_list("installation_id", "taken_on"):
        read_on.setdefault(installation_id, []).append(day)
    by_user: dict[int, list] = {}
    for subscription in subscriptions:
        installation = subscription.contract.installation  # type: ignore[union-attr]  # filtered
        window = window_for(installation, today)
        if any(day in window for day in read_on.get(installation.pk, [])):
            continue
        by_user.setdefault(subscription.user_id, []).append((subscription, window))

    sent = 0
    for items in by_user.values():
        user = items[0][0].user
        with transaction.atomic():
            fresh = []
            for subscription, window in items:
                _reminder, created = ReadingReminder.objects.get_or_create(
                    user=user,
                    installation=subscription.contract.installation,
                    window_start=window.start,
                )
                if created:
                    fresh.append(
                        {
                            "name": subscription.custom_name,
                            "contract_number": subscription.contract.contract_number,
                            "window": window,
                            "url": absolute_url(
                                reverse(
                                    "readings:submit", args=[subscription.contract.contract_number]
                                )
                            ),
                        }
                    )
            if fresh:
                send_templated_email(
                    to=user.email,
                    template="readings_reminder",
                    context={
                        "user": user,
                        "contracts": fresh,
                        "preferences_url": absolute_url(reverse("readings:reminders")),
                    },
                    language=user.language,
                )
                sent += 1
    return sent
