from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "balcao.billing"
    label = "billing"
    verbose_name = "Faturação"
    staff_permissions = {
        "Atendimento": ["view_directdebitmandate"],
        "Faturação": ["view_directdebitmandate"],
    }
