"""Writes of the billing area: mandates, tariffs, invoices and credit notes."""

from balcao.billing.services.mandates import create_mandate

__all__ = ["create_mandate"]
