from django.apps import AppConfig

DUNNING_VIEW = [
    "view_dunningnotice",
    "view_warningrun",
    "view_warningrunevent",
    "view_paymentplan",
    "view_instalment",
]


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
            # Unpaid invoices (issue 13): what was sent, and the payment plans granted on a
            # request's page ("Aceitar e definir prestações").
            *DUNNING_VIEW,
        ],
        "Faturação": [
            "view_payment",
            "add_payment",  # "Registar pagamento" and "Anular pagamento" (a reversing record)
            "view_receipt",
            "view_receiptline",
            "view_directdebitbatch",
            "add_directdebitbatch",  # writes the pain.008 file of a due date
            "view_directdebitcollection",
            *DUNNING_VIEW,
            "add_warningrun",  # "Gerar avisos de interrupção": a letter run
        ],
    }
