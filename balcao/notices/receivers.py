"""Every change to a notice, however made (services, back office, a shell), ends the cached
home notices of every user, at once and when committed (selectors.forget_home_notices).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from balcao.notices.models import Notice
from balcao.notices.selectors import forget_home_notices


def _forget_after_commit(**kwargs) -> None:
    # Now, and again once committed: a page read between the two may have cached the old list.
    forget_home_notices()
    transaction.on_commit(forget_home_notices)


receiver(post_save, sender=Notice)(_forget_after_commit)
receiver(post_delete, sender=Notice)(_forget_after_commit)
receiver(m2m_changed, sender=Notice.contracts.through)(_forget_after_commit)
