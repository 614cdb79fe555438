"""What billing tells the apps above it, which it cannot import.

``credit_note_issued``: sent by ``issue_credit_note`` inside its transaction, once the credit
note is written and the invoice it cancels is "Anulada por nota de crédito", with
``invoice``, ``credit_note`` and ``actor``. A receiver that fails undoes the credit note.
``payments`` connects to it from its ``AppConfig.ready`` to record the refund owed of what
was paid of the invoice.
"""

from django.dispatch import Signal

credit_note_issued = Signal()
