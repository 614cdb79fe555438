from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "balcao.billing"
    label = "billing"
    verbose_name = "Faturação"
    staff_permissions = {
        "Atendimento": ["view_directdebitmandate", "view_mandateevent"],
        "Faturação": ["view_directdebitmandate", "view_mandateevent"],
    }
