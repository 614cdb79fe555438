from django.apps import AppConfig


class ReadingsConfig(AppConfig):
    name = "balcao.readings"
    label = "readings"
    verbose_name = "Leituras"
    staff_permissions = {
        "Leituras": [
            "view_reading",
            "add_reading",
            "view_readingevent",
            "view_readingreminderpreference",
        ],
        "Atendimento": ["view_reading", "view_readingevent", "view_readingreminderpreference"],
        "Faturação": ["view_reading", "view_readingevent"],
    }
