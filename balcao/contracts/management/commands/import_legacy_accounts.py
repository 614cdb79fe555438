"""manage.py import_legacy_accounts FILE.csv — accounts of the old portal (manual section 5).

The CSV has a header line with the columns username,email,nif,name (UTF-8, comma-separated).
Lines that cannot be imported are reported with their line number and reason; the others
are imported in one transaction (all or none, if the database refuses one). Each account gets
the active contracts of its NIF: the command lives in contracts because its entry point,
balcao.contracts.services.legacy.import_legacy_account, does both.
"""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from balcao.accounts.models import User
from balcao.contracts.services.legacy import import_legacy_account
from balcao.core.nif import normalize_nif, validate_nif

COLUMNS = ("username", "email", "nif", "name")


def _reason(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Import the old portal's accounts from a CSV file (username,email,nif,name)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, store nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(
                    f"missing columns: {', '.join(missing)} (need {','.join(COLUMNS)})"
                )
            rows = list(enumerate(reader, start=2))
        imported, rejected = 0, []
        seen_usernames: set[str] = set()
        seen_emails: set[str] = set()
        with transaction.atomic():
            for line, row in rows:
                values = {c: (row.get(c) or "").strip() for c in COLUMNS}
                reason = self._check(values, seen_usernames, seen_emails)
                if reason is None:
                    try:
                        with transaction.atomic():
                            import_legacy_account(**values)
                    except ValidationError as error:
                        reason = _reason(error)
                if reason:
                    rejected.append((line, values["username"], reason))
                    continue
                seen_usernames.add(values["username"].lower())
                seen_emails.add(values["email"].lower())
                imported += 1
            if dry_run:
                transaction.set_rollback(True)
        for line, username, reason in rejected:
            self.stdout.write(f"line {line} ({username or '-'}): rejected: {reason}")
        verb = "would be imported" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(f"{imported} accounts {verb}, {len(rejected)} lines rejected.")
        )

    def _check(self, values, seen_usernames, seen_emails) -> str | None:
        empty = [c for c in COLUMNS if not values[c]]
        if empty:
            return f"empty {', '.join(empty)}"
        try:
            validate_email(values["email"])
        except ValidationError:
            return "invalid e-mail"
        try:
            validate_nif(normalize_nif(values["nif"]), allow_obsolete=True)
        except ValidationError:
            return "invalid NIF"
        username, email = values["username"].lower(), values["email"].lower()
        if username in seen_usernames or User.objects.filter(username__iexact=username).exists():
            return "username already exists"
        if email in seen_emails or User.objects.filter(email__iexact=email).exists():
            return "e-mail already exists"
        return None
