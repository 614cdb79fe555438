from django.apps import AppConfig


class ReadingsConfig(AppConfig):
    name = "balcao.readings"
    label = "readings"
    verbose_name = "Leituras"
