"""The forms of "Novo pedido" and of the contract changes (manual 6.2 point 2 and 6.5).

One module per idea: ``requests`` (the free-text requests and the choice of contract),
``changes`` (the contract changes), ``contact`` (the answer's channel, every form's),
``attachments`` (the files, checked by content). Everything is importable from here.
"""

from balcao.service_requests.forms.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENT_PIXELS,
    MAX_ATTACHMENTS,
    SIGNATURES,
    AttachmentsField,
    ImageTooLarge,
    MultipleFileInput,
    detect_content_type,
)
from balcao.service_requests.forms.changes import (
    BillingAddressForm,
    ContactChangeForm,
    DirectDebitForm,
    EInvoiceOffForm,
    EInvoiceOnForm,
    TerminationForm,
)
from balcao.service_requests.forms.contact import (
    ContactChoiceForm,
    channel_field,
    clean_contact,
    contact_value_field,
    contract_choices,
    normalise_phone,
    prefill_contact,
    validate_phone,
)
from balcao.service_requests.forms.follow_up import MessageForm
from balcao.service_requests.forms.requests import ChooseContractForm, NewRequestForm

__all__ = [
    "MessageForm",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_ATTACHMENT_PIXELS",
    "SIGNATURES",
    "AttachmentsField",
    "BillingAddressForm",
    "ChooseContractForm",
    "ContactChangeForm",
    "ContactChoiceForm",
    "DirectDebitForm",
    "EInvoiceOffForm",
    "EInvoiceOnForm",
    "ImageTooLarge",
    "MultipleFileInput",
    "NewRequestForm",
    "TerminationForm",
    "channel_field",
    "clean_contact",
    "contact_value_field",
    "contract_choices",
    "detect_content_type",
    "normalise_phone",
    "prefill_contact",
    "validate_phone",
]
