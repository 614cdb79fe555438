from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "balcao.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self):
        from balcao.core import converters
        from balcao.core.roles import sync_staff_groups

        converters.register()  # before any urls.py is read

        post_migrate.connect(sync_staff_groups, dispatch_uid="balcao.core.sync_staff_groups")
