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
            "view_directdebitcollection",
        ],
        "Faturação": [
            "view_payment",
            "add_payment",  # "Registar pagamento" and "Anular pagamento" (a reversing record)
            "view_receipt",
            "view_receiptline",
            "view_directdebitbatch",
            "add_directdebitbatch",  # writes the pain.008 file of a due date
            "view_directdebitcollection",
        ],
    }
