from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "balcao.contracts"
    label = "contracts"
    verbose_name = "Contratos"
    staff_permissions = {
        "Atendimento": [
            "view_customer",
            "change_customer",
            "view_billingaccount",
            "change_billingaccount",
            "view_installation",
            "view_meter",
            "view_contract",
            "view_contractevent",
            "view_subscription",
            "change_subscription",
            "view_subscriptionevent",
            "view_letter",
            "print_letters",  # "Imprimir cartas" and the kept PDFs
        ],
        "Leituras": ["view_installation", "view_meter", "add_meter", "change_meter"],
        "Faturação": [
            "view_customer",
            "view_billingaccount",
            "view_contract",
            "view_contractevent",
        ],
    }
