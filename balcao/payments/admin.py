"""The payments area's back office (each part in its module, registered on import)."""

from balcao.payments import admin_dunning  # noqa: F401  # registers its ModelAdmins and actions
