"""The one way to reach a notice from a portal user: it must be addressed to them, now."""

from django.http import Http404

from balcao.notices.models import Notice
from balcao.notices.selectors import notices_for_user


def get_notice_for_user(user, public_id) -> Notice:
    """A current notice that reaches this user (dismissed or not), or 404."""
    notice = notices_for_user(user, include_dismissed=True).filter(public_id=public_id).first()
    if notice is None:
        raise Http404("No such notice for this user.")
    return notice
