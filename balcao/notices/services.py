"""Every write to notices: publish, change, withdraw (staff) and dismiss (customer)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from balcao.accounts.models import User
from balcao.contracts.models import Contract
from balcao.core.models import Municipality, Parish
from balcao.notices.models import Notice, NoticeDismissal, NoticeEvent
from balcao.notices.selectors import forget_home_notices


@transaction.atomic
def publish_notice(
    *,
    actor: User | None,
    title: str,
    text: str,
    starts_at: datetime,
    ends_at: datetime,
    audience: str = Notice.Audience.EVERYONE,
    municipality: Municipality | None = None,
    parish: Parish | None = None,
    contracts: Iterable[Contract] = (),
) -> Notice:
    """Publish a notice to its audience for its window (manual 6.1 ii "Notificações")."""
    notice = Notice(
        title=title,
        text=text,
        starts_at=starts_at,
        ends_at=ends_at,
        audience=audience,
        municipality=municipality if audience == Notice.Audience.MUNICIPALITY else None,
        parish=parish if audience == Notice.Audience.PARISH else None,
    )
    notice.full_clean()
    notice.save()
    if audience == Notice.Audience.CONTRACTS:
        notice.contracts.set(contracts)
    NoticeEvent.objects.create(notice=notice, actor=actor, kind=NoticeEvent.Kind.PUBLISHED)
    return notice


@transaction.atomic
def save_notice(
    *, notice: Notice, actor: User | None, changed_fields: Iterable[str] = ()
) -> Notice:
    """Save a notice edited in the back office and record who published or changed it.

    Fields that do not belong to the chosen audience are cleared, so that a notice
    never carries a stale municipality or parish.
    """
    created = notice.pk is None
    if notice.audience != Notice.Audience.MUNICIPALITY:
        notice.municipality = None
    if notice.audience != Notice.Audience.PARISH:
        notice.parish = None
    notice.full_clean()
    notice.save()
    NoticeEvent.objects.create(
        notice=notice,
        actor=actor,
        kind=NoticeEvent.Kind.PUBLISHED if created else NoticeEvent.Kind.CHANGED,
        note=", ".join(changed_fields) if not created else "",
    )
    return notice


@transaction.atomic
def withdraw_notice(*, notice: Notice, actor: User | None, now: datetime | None = None) -> bool:
    """End a notice now (it stays on record). False if it had already ended."""
    now = now or timezone.now()
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.ends_at <= now:
        return False
    notice.ends_at = now
    # A notice that had not started yet gets a window wholly in the past (the table
    # requires end > start): it was never shown, and the event says it was withdrawn.
    notice.starts_at = min(notice.starts_at, now - timedelta(seconds=1))
    notice.save(update_fields=["starts_at", "ends_at"])
    NoticeEvent.objects.create(notice=notice, actor=actor, kind=NoticeEvent.Kind.WITHDRAWN)
    return True


def dismiss_notice(*, notice: Notice, user: User) -> NoticeDismissal:
    """Hide a notice for this user only ("Dispensar"); dismissing twice is harmless."""
    try:
        with transaction.atomic():
            dismissal, _created = NoticeDismissal.objects.get_or_create(notice=notice, user=user)
    except IntegrityError:  # two clicks at the same moment: the other one won
        dismissal = NoticeDismissal.objects.get(notice=notice, user=user)
    forget_home_notices(user)
    return dismissal
