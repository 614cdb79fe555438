from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "balcao.accounts"
    label = "accounts"
    verbose_name = "Contas"
    staff_permissions = {"Atendimento": ["view_user"]}
