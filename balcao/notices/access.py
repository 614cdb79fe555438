"""The one way to reach a notice from a portal user: it must be addressed to them, now."""

from django.shortcuts import get_object_or_404

from balcao.notices.models import Notice
from balcao.notices.selectors import notices_for_user


def get_notice_for_user(user, public_id) -> Notice:
    """A current notice that reaches this user (dismissed or not), or 404."""
    return get_object_or_404(notices_for_user(user, include_dismissed=True), public_id=public_id)
