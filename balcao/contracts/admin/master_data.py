"""The utility's master data (its customer system is the source)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from balcao.contracts.models import (
    BillingAccount,
    Contract,
    ContractEvent,
    Customer,
    Installation,
    Meter,
)
from balcao.core.admin import PortugueseAdminMixin, ReadOnlyInline, yes_no


@admin.register(Customer)
class CustomerAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"
    list_display = ["customer_number", "name", "nif", "email"]
    search_fields = ["customer_number", "name", "nif", "email"]
    list_select_related = ["correspondence_address"]
    raw_id_fields = ["correspondence_address"]


@admin.register(BillingAccount)
class BillingAccountAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    list_display = ["account_number", "customer", "has_e_invoice", "has_direct_debit"]
    search_fields = ["account_number", "customer__name", "customer__customer_number"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "billing_address"]

    @admin.display(description=gettext_lazy("Fatura eletrónica"), ordering="e_invoice")
    def has_e_invoice(self, account):
        return yes_no(account.e_invoice)

    @admin.display(description=gettext_lazy("Débito direto"), ordering="direct_debit")
    def has_direct_debit(self, account):
        return yes_no(account.direct_debit)


@admin.register(Installation)
class InstallationAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    list_display = ["cil", "address"]
    search_fields = ["cil"]
    list_select_related = ["address"]
    raw_id_fields = ["address"]


@admin.register(Meter)
class MeterAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"
    list_display = ["serial", "installation", "installed_on", "removed_on"]
    search_fields = ["serial", "installation__cil"]
    list_select_related = ["installation"]
    raw_id_fields = ["installation"]


class ContractEventInline(ReadOnlyInline):
    model = ContractEvent
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    verbose_name_plural = gettext_lazy("Histórico")


@admin.register(Contract)
class ContractAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"
    list_display = ["contract_number", "customer", "installation", "product", "status"]
    list_filter = ["status", "product", "tariff_type"]
    search_fields = ["contract_number", "customer__name", "customer__nif", "installation__cil"]
    list_select_related = ["customer", "installation"]
    raw_id_fields = ["customer", "account", "installation"]
    inlines = [ContractEventInline]
