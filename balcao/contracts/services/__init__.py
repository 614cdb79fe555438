"""Every write to a subscription: add, evaluate, activate, rename, remove, print letters.

The rules come from the manual, section 2 (points 2–3 and its "Nota importante"), and
from issue 4: an activation code is bound to one subscription, single use, 30 days for
a letter and 24 hours for an e-mail link; five wrong codes lock the subscription; a
new letter may be asked for once a week. Nothing the user is told depends on whether
the numbers typed exist. One module per step; everything is importable from here.
"""

from balcao.contracts.services.activation import (
    ActivationResult,
    Outcome,
    activate_by_code,
    activate_by_link,
    next_letter_allowed_at,
    request_new_code,
)
from balcao.contracts.services.evaluation import (
    approve_subscription,
    reject_subscription,
    submit_subscription,
)
from balcao.contracts.services.holding import remove_subscription, rename_subscription
from balcao.contracts.services.printing import delete_spent_letter_pdfs, print_letters
from balcao.contracts.services.workflow import (
    CODE_VALIDITY_DAYS,
    LINK_VALIDITY,
    MAX_PENDING_PER_USER,
    MAX_WRONG_CODES,
    NEW_LETTER_INTERVAL,
    SubscriptionRuleError,
)

__all__ = [
    "CODE_VALIDITY_DAYS",
    "LINK_VALIDITY",
    "MAX_PENDING_PER_USER",
    "MAX_WRONG_CODES",
    "NEW_LETTER_INTERVAL",
    "ActivationResult",
    "Outcome",
    "SubscriptionRuleError",
    "activate_by_code",
    "activate_by_link",
    "approve_subscription",
    "next_letter_allowed_at",
    "delete_spent_letter_pdfs",
    "print_letters",
    "reject_subscription",
    "remove_subscription",
    "rename_subscription",
    "request_new_code",
    "submit_subscription",
]
