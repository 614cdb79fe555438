"""Every write about readings (manual 6.3; DOMAIN.md "Meter readings").

One module per idea: ``customer`` (the customer's submission), ``company`` (the utility's
readings, also imported, and meter replacements), ``estimates`` (the billing run's hooks),
``reminders`` (the reading-window e-mail), and ``lifecycle`` (what they share: a new
reading and its status moves). Everything is importable from here.
"""

from balcao.readings.services.company import (
    meter_on,
    record_company_reading,
    replace_meter,
    validate_company_reading,
)
from balcao.readings.services.customer import SubmissionOutcome, submit_reading
from balcao.readings.services.estimates import (
    estimate_for,
    mark_used_in_invoice,
    mark_used_in_invoices,
    record_estimate,
    record_estimates,
)
from balcao.readings.services.reminders import send_reading_reminders, set_reminder_preference

__all__ = [
    "SubmissionOutcome",
    "estimate_for",
    "mark_used_in_invoice",
    "mark_used_in_invoices",
    "meter_on",
    "record_company_reading",
    "record_estimate",
    "record_estimates",
    "replace_meter",
    "send_reading_reminders",
    "set_reminder_preference",
    "submit_reading",
    "validate_company_reading",
]
