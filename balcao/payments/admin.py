"""The payments area's back office (each part in its module, registered on import)."""

from balcao.payments import (
    admin_dunning,  # noqa: F401  # reminders, warning runs, plans
    sepa_admin,  # noqa: F401  # direct debit files and collections
)
