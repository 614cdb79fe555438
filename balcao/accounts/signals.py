"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent by import_legacy_account inside its transaction, with user=...: the contracts app
# attaches the contracts of the user's NIF (manual section 5).
legacy_account_imported = Signal()
