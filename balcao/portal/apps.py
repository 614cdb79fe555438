from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "balcao.portal"
    label = "portal"
    verbose_name = "Portal"
