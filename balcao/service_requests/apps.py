from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "balcao.service_requests"
    label = "service_requests"
    verbose_name = "Pedidos"
    # The customer service answers requests; the change itself goes through the services.
    staff_permissions = {
        "Atendimento": [
            "view_servicerequest",
            "change_servicerequest",
            "view_requestevent",
            "view_requestattachment",
        ],
    }
