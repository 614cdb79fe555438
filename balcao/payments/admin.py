"""Payments' screens in the back office."""

from balcao.payments import sepa_admin  # noqa: F401  (registers the direct debit screens)
