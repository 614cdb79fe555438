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
            "view_bankreturnfile",
            "view_bankreturnfileevent",
            # Unpaid invoices (issue 13): what was sent, and the payment plans granted on a
            # request's page ("Aceitar e definir prestações").
            *DUNNING_VIEW,
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
            "view_directdebitbatch",
            "add_directdebitbatch",  # writes the pain.008 file of a due date
            "view_directdebitcollection",
            "view_bankreturnfile",
            "add_bankreturnfile",  # "Importar devoluções do banco": imported in the background
            "view_bankreturnfileevent",
            *DUNNING_VIEW,
            "add_warningrun",  # "Gerar avisos de interrupção": a letter run
            "view_multibancofile",
            "add_multibancofile",  # upload a Multibanco file: imported in the background
            "view_multibancofileevent",
            "view_multibancoline",
            "view_multibancolineevent",
            "view_pendingmultibancoline",
            "change_pendingmultibancoline",  # match by hand or refund a queued line
            # "Reembolsos por fazer": what was paid of an invoice a credit note cancelled.
            "view_refund",
            "change_refund",  # "Marcar como reembolsado" (nothing else of it is edited)
        ],
    }

    def ready(self) -> None:
        from balcao.billing.paid_amounts import register_paid_amount
        from balcao.billing.signals import credit_note_issued
        from balcao.payments.payables import instalment_payables, register_payable_source
        from balcao.payments.services.receipts import settled_amount
        from balcao.payments.services.refunds import record_refund

        # A payment plan's instalments are paid by Multibanco files like invoices.
        register_payable_source(instalment_payables)
        # A credit note's e-mail refunds what the receipts in force settle of the invoice it
        # cancels: paid in full, in part or by instalments.
        register_paid_amount(settled_amount)
        # ... and the refund it owes is recorded with the credit note, for a clerk to pay.
        credit_note_issued.connect(record_refund, dispatch_uid="payments.record_refund")
