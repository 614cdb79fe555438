"""How a portal user reaches readings: only through their own active subscription."""

from django.shortcuts import get_object_or_404

from balcao.contracts.access import get_subscription_for_user
from balcao.readings.models import Reading


def get_receipt_for_user(user, contract_number: str, receipt_number: str):
    """The subscription and the reading with this receipt on its installation, or 404."""
    subscription = get_subscription_for_user(user, contract_number)
    reading = get_object_or_404(
        Reading.objects.select_related("meter"),
        installation_id=subscription.contract.installation_id,  # type: ignore[union-attr]  # active: has one
        receipt_number=receipt_number,
    )
    return subscription, reading
