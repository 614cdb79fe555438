"""Every write of the requests area (manual 6.2 point 2 and 6.5).

``workflow``: a request's life, from "Submeter" to the clerk's answer; ``changes``: the
contract changes a request carries, whether they can be asked for and how they apply.
"""

from balcao.service_requests.services.changes import ChangeNotPossible, change_not_possible
from balcao.service_requests.services.workflow import (
    FIRST_REQUEST_NUMBER,
    MAX_MESSAGE_LENGTH,
    SEQUENCE,
    RequestActionError,
    accept_and_apply,
    add_message,
    answer_and_close,
    close_accepted,
    reject,
    start_resolution,
    submit_request,
    withdraw,
)

__all__ = [
    "FIRST_REQUEST_NUMBER",
    "MAX_MESSAGE_LENGTH",
    "SEQUENCE",
    "ChangeNotPossible",
    "RequestActionError",
    "accept_and_apply",
    "add_message",
    "answer_and_close",
    "change_not_possible",
    "close_accepted",
    "reject",
    "start_resolution",
    "submit_request",
    "withdraw",
]
