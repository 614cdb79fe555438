""" "Imprimir cartas": the pending activation letters, each with its new code, as one PDF."""

import datetime
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from balcao.accounts.models import User
from balcao.contracts import activation_keys, letters
from balcao.contracts.models import ActivationKey, Letter, Subscription
from balcao.contracts.services.workflow import (
    CODE_VALIDITY_DAYS,
    Kind,
    Status,
    record_event,
    revoke_keys,
)


def _code_expiry(today: datetime.date) -> tuple[datetime.date, datetime.datetime]:
    """Valid through the whole 30th day after printing (the date printed on the letter)."""
    valid_until = today + datetime.timedelta(days=CODE_VALIDITY_DAYS)
    next_midnight = datetime.datetime.combine(
        valid_until + datetime.timedelta(days=1), datetime.time()
    )
    return valid_until, timezone.make_aware(next_midnight)


@transaction.atomic
def print_letters(*, letter_ids: Iterable[int], clerk: User | None) -> tuple[bytes, int]:
    """ "Imprimir cartas": each pending letter gets its code now and a page in the one PDF
    returned for printing; it is then marked sent. Its copy kept under LETTERS_DIR has no
    code: the code exists only on the paper (and as a digest).

    Returns the PDF and how many letters it holds (0: nothing was pending).
    """
    pending = (
        Letter.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer joins
        .filter(pk__in=list(letter_ids), printed_at__isnull=True)
        .select_related(
            "subscription__user",
            "subscription__contract__installation__address",
        )
        .order_by("created_at", "pk")
    )
    now = timezone.now()
    today = timezone.localdate(now)
    valid_until, expires_at = _code_expiry(today)
    contents, files = [], []
    for letter in pending:
        subscription = letter.subscription
        if not (
            subscription.status == Status.AWAITING_ACTIVATION
            and subscription.activation_channel == Subscription.Channel.LETTER
        ):
            continue
        assert subscription.contract is not None  # approved: it has its contract
        code = activation_keys.new_code()
        revoke_keys(subscription, now)
        letter.key = ActivationKey.objects.create(
            subscription=subscription,
            channel=Subscription.Channel.LETTER,
            digest=activation_keys.digest(code),
            expires_at=expires_at,
        )
        letter.printed_at = now
        letter.printed_by = clerk
        letter.file = letters.letter_path(letter.pk, today)
        letter.save(update_fields=["key", "printed_at", "printed_by", "file"])
        record_event(subscription, Kind.LETTER_SENT, clerk)
        content = letters.LetterContent(
            recipient_name=letter.recipient_name,
            address_lines=letter.address_lines.splitlines(),
            code=code,
            valid_until=valid_until,
            issued_on=today,
            contract_number=subscription.contract.contract_number,
            cil=subscription.contract.installation.cil,
            supply_address=str(subscription.contract.installation.address),
            username=subscription.user.get_username(),
        )
        contents.append(content)
        files.append((letter.file, content))
    if not contents:
        return b"", 0

    def keep_files() -> None:
        for relative_path, content in files:
            letters.store_letter(relative_path, letters.kept_copy(content))

    transaction.on_commit(keep_files)
    return letters.render_letters(contents), len(contents)


def delete_spent_letter_pdfs(*, now: datetime.datetime | None = None) -> int:
    """Deletes the kept PDF of every letter whose code is used, voided or expired.

    Letters printed before the kept copy left out the code hold it in their PDF; this
    removes them once the code can no longer be used (and the code-less copies with them:
    the letter's row keeps the recipient, the address, and when and by whom it was printed).
    Cron runs it daily: ``manage.py delete_spent_letter_pdfs``. Returns how many went.
    """
    now = now or timezone.now()
    spent = Letter.objects.exclude(file="").filter(
        Q(key__isnull=True)
        | Q(key__used_at__isnull=False)
        | Q(key__revoked_at__isnull=False)
        | Q(key__expires_at__lte=now)
    )
    deleted = 0
    for letter in spent.only("pk", "file"):
        (Path(settings.LETTERS_DIR) / letter.file).unlink(missing_ok=True)
        Letter.objects.filter(pk=letter.pk).update(file="")
        deleted += 1
    return deleted
