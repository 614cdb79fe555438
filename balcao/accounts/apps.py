from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "balcao.accounts"
    label = "accounts"
    verbose_name = "Contas"
    staff_permissions = {"Atendimento": ["view_user", "view_accountevent"]}

    def ready(self):
        from balcao.accounts import receivers  # noqa: F401
