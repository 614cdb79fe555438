from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "balcao.billing"
    label = "billing"
    verbose_name = "Faturação"
    # Faturação keeps the tariffs and the series' AT codes and reads every document;
    # Atendimento reads the documents to answer customers. Nobody edits an issued document.
    staff_permissions = {
        "Atendimento": [
            "view_directdebitmandate",
            "view_mandateevent",
            "view_tariff",
            "view_tariffservice",
            "view_tariffprice",
            "view_invoice",
            "view_invoiceline",
            "view_invoiceevent",
            "view_invoicedelivery",  # to answer "did my invoice go out?"
        ],
        "Faturação": [
            "view_directdebitmandate",
            "view_mandateevent",
            *(
                f"{action}_{model}"
                for model in ("tariff", "tariffservice", "tariffprice")
                for action in ("view", "add", "change", "delete")
            ),
            "view_invoiceseries",
            "add_invoiceseries",
            "change_invoiceseries",
            "view_invoice",
            "add_invoice",  # "Corrigir fatura": a credit note and a new invoice, never an edit
            "view_invoiceline",
            "view_invoiceevent",
            "view_billingrun",
            "add_billingrun",  # start a month's billing run
            "view_billingrunevent",
            "view_estimateadjustment",
            "view_invoicedelivery",
            "change_invoicedelivery",  # "Reenviar" a failed e-mail; nothing else changes
            "view_invoiceprintrun",  # and download its PDF
            "add_invoiceprintrun",  # "Imprimir faturas"
        ],
    }
