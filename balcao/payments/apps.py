from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Payments and collections: receipts, Multibanco files, SEPA direct debit, dunning."""

    name = "balcao.payments"
    label = "payments"
    verbose_name = "Pagamentos"
    # Faturação registers and reverses payments and reads every receipt; Atendimento reads
    # them to answer customers. A payment is never edited: a mistake is reversed.
    staff_permissions = {
        "Atendimento": [
            "view_payment",
            "view_receipt",
            "view_receiptline",
            # Multibanco: the files and their lines, to answer a customer; no import.
            "view_multibancofile",
            "view_multibancofileevent",
            "view_multibancoline",
            "view_multibancolineevent",
            "view_pendingmultibancoline",
        ],
        "Faturação": [
            "view_payment",
            "add_payment",  # "Registar pagamento" and "Anular pagamento" (a reversing record)
            "view_receipt",
            "view_receiptline",
            "view_multibancofile",
            "add_multibancofile",  # upload a Multibanco file: imported in the background
            "view_multibancofileevent",
            "view_multibancoline",
            "view_multibancolineevent",
            "view_pendingmultibancoline",
            "change_pendingmultibancoline",  # match by hand or refund a queued line
        ],
    }
