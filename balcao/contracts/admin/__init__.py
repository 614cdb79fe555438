"""The staff's screens for contracts: the subscriptions queue, the letters, the master data."""

from balcao.contracts.admin import letters, master_data, subscriptions  # noqa: F401
