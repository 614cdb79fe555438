from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "balcao.service_requests"
    label = "service_requests"
    verbose_name = "Pedidos"
