"""Which notices a customer sees now (manual 6.1 ii "Notificações")."""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from balcao.accounts.models import User
from balcao.contracts.access import active_subscription_list
from balcao.contracts.models import Contract
from balcao.notices.models import Notice, NoticeDismissal


@dataclass(frozen=True)
class _Place:
    """One of the user's contracts, and where it is supplied."""

    name: str
    contract_id: int
    municipality_id: int | None
    parish_id: int | None


def _places(user: User) -> list[_Place]:
    """The user's active subscriptions as places; an ended contract has no place any more.

    From the subscriptions the request already loaded for the header (no query of its own
    inside a request).
    """
    places = []
    for subscription in active_subscription_list(user):
        contract = subscription.contract
        if contract is None:
            continue
        address = contract.installation.address
        supplied = contract.status == Contract.Status.ACTIVE  # no cut where nothing is supplied
        places.append(
            _Place(
                name=subscription.custom_name,
                contract_id=contract.pk,
                municipality_id=address.municipality_id if supplied else None,
                parish_id=address.parish_id if supplied else None,
            )
        )
    return places


def _reaching(
    user: User, places: list[_Place], now: datetime, include_dismissed: bool
) -> QuerySet[Notice]:
    reaches_user = Q(audience=Notice.Audience.EVERYONE)
    municipality_ids = {p.municipality_id for p in places if p.municipality_id}
    parish_ids = {p.parish_id for p in places if p.parish_id}
    contract_ids = {p.contract_id for p in places}
    if municipality_ids:
        reaches_user |= Q(
            audience=Notice.Audience.MUNICIPALITY, municipality_id__in=municipality_ids
        )
    if parish_ids:
        reaches_user |= Q(audience=Notice.Audience.PARISH, parish_id__in=parish_ids)
    if contract_ids:
        targeted = Notice.contracts.through.objects.filter(
            notice_id=OuterRef("pk"), contract_id__in=contract_ids
        )
        reaches_user |= Q(Exists(targeted), audience=Notice.Audience.CONTRACTS)
    notices = Notice.objects.filter(reaches_user, starts_at__lte=now, ends_at__gt=now)
    if not include_dismissed:
        dismissed = NoticeDismissal.objects.filter(notice_id=OuterRef("pk"), user=user)
        notices = notices.filter(~Exists(dismissed))
    return notices.order_by("-starts_at", "-pk")


def notices_for_user(
    user: User | AnonymousUser | None,
    now: datetime | None = None,
    *,
    limit: int | None = None,
    include_dismissed: bool = False,
) -> QuerySet[Notice]:
    """The notices that apply to the user's contracts at ``now``, newest first, not dismissed.

    A notice reaches a user through their active subscriptions: "everyone" reaches
    every signed-in customer; a municipality or parish notice reaches the contracts
    in force whose installation's address lies there (the place supplied, not the
    billing address); a contracts notice reaches the holders of those contracts.
    Two queries, whatever the number of contracts or notices. ``include_dismissed``
    keeps the ones the user dismissed (to tell "not yours" from "already hidden").
    """
    if user is None or not user.is_authenticated:
        return Notice.objects.none()
    notices = _reaching(user, _places(user), now or timezone.now(), include_dismissed)
    return notices[:limit] if limit is not None else notices


# How long the home page's notices of a user are kept in the cache (seconds). Publishing,
# changing or withdrawing a notice, and the user's own dismissal, end it at once.
HOME_NOTICES_CACHE_SECONDS = 60
_VERSION_KEY = "notices:version"


def _home_key(user: User) -> str:
    return f"notices:home:{user.pk}"


def forget_home_notices(user: User | None = None) -> None:
    """End the cached home notices: one user's (a dismissal), or everyone's (a notice
    published, changed or withdrawn: a new version makes every entry stale).
    """
    if user is not None:
        cache.delete(_home_key(user))
        return
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value ends the old entries
        cache.set(_VERSION_KEY, time.time_ns(), timeout=None)


def notices_for_home(
    user: User | AnonymousUser | None, now: datetime | None = None, *, limit: int
) -> list[Notice]:
    """The home page's notices, each with ``concerns``: the names the user gave to the
    contracts it is about (empty for a notice to everyone), so that a cut at "Loja"
    is not read as news about "Casa". At most two queries, none while the cache holds
    them (a minute at most, for the same contracts and notices, the clock not gone back).
    """
    if user is None or not user.is_authenticated:
        return []
    now = now or timezone.now()
    places = _places(user)
    found = cache.get_many([_VERSION_KEY, _home_key(user)])
    version = found.get(_VERSION_KEY)
    entry = found.get(_home_key(user))
    if version is None:
        version = time.time_ns()
        cache.add(_VERSION_KEY, version, timeout=None)
        version = cache.get(_VERSION_KEY, version)
    if entry is not None:
        cached_version, cached_places, cached_limit, computed_at, notices = entry
        fresh = timedelta(0) <= now - computed_at <= timedelta(seconds=HOME_NOTICES_CACHE_SECONDS)
        if (cached_version, cached_places, cached_limit) == (version, places, limit) and fresh:
            return notices
    notices = _home_notices(user, places, now, limit)
    cache.set(
        _home_key(user),
        (version, places, limit, now, notices),
        timeout=HOME_NOTICES_CACHE_SECONDS,
    )
    return notices


def _home_notices(user: User, places: list[_Place], now: datetime, limit: int) -> list[Notice]:
    notices = list(_reaching(user, places, now, False)[:limit])
    targeted: set[tuple[int, int]] = set()
    by_contract = [n.pk for n in notices if n.audience == Notice.Audience.CONTRACTS]
    if by_contract:
        targeted = set(
            Notice.contracts.through.objects.filter(
                notice_id__in=by_contract, contract_id__in=[p.contract_id for p in places]
            ).values_list("notice_id", "contract_id")
        )
    for notice in notices:
        notice.concerns = [place.name for place in places if _about(notice, place, targeted)]  # type: ignore[attr-defined]  # for the template
    return notices


def _about(notice: Notice, place: _Place, targeted: set[tuple[int, int]]) -> bool:
    if notice.audience == Notice.Audience.MUNICIPALITY:
        return place.municipality_id == notice.municipality_id
    if notice.audience == Notice.Audience.PARISH:
        return place.parish_id == notice.parish_id
    if notice.audience == Notice.Audience.CONTRACTS:
        return (notice.pk, place.contract_id) in targeted
    return False


def dismissed_notices_for_user(
    user: User | AnonymousUser | None, now: datetime | None = None
) -> QuerySet[Notice]:
    """ "Ver avisos anteriores": the notices still in force for the user that they dismissed,
    newest first (issue 11, item 13)."""
    if user is None or not user.is_authenticated:
        return Notice.objects.none()
    dismissed = NoticeDismissal.objects.filter(notice_id=OuterRef("pk"), user=user)
    return _reaching(user, _places(user), now or timezone.now(), True).filter(Exists(dismissed))
