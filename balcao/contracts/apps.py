from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "balcao.contracts"
    label = "contracts"
    verbose_name = "Contratos"
    staff_permissions = {
        "Atendimento": [
            "view_customer",
            "change_customer",
            "view_billingaccount",
            "change_billingaccount",
            "view_installation",
            "view_meter",
            "view_contract",
            "view_contractevent",
            "view_subscription",
            "change_subscription",
            "view_subscriptionevent",
            "view_letter",
            "print_letters",  # "Imprimir cartas" and the kept PDFs
        ],
        "Leituras": ["view_installation", "view_meter", "add_meter", "change_meter"],
        "Faturação": [
            "view_customer",
            "view_billingaccount",
            "view_contract",
            "view_contractevent",
        ],
    }

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from balcao.contracts import subscription_cache

        # Every write to the tables of the users' subscription lists, however made, ends
        # the lists kept in the cache (subscription_cache).
        connection_created.connect(subscription_cache.install, dispatch_uid="subscription-cache")
        for connection in connections.all(initialized_only=True):
            subscription_cache.install(connection)
