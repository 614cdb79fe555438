from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "balcao.notices"
    label = "notices"
    verbose_name = "Avisos"
