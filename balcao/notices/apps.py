from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "balcao.notices"
    label = "notices"
    verbose_name = "Avisos"
    # Customer service publishes and withdraws notices; nobody deletes one (the record stays).
    staff_permissions = {
        "Atendimento": ["view_notice", "add_notice", "change_notice", "view_noticeevent"],
    }

    def ready(self):
        from balcao.notices import receivers  # noqa: F401  (connects the cache's invalidation)
