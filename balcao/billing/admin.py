"""Billing's back office. For now: the direct debit mandates, read-only (a mandate is kept
as the debtor accepted it; it is created when a clerk accepts the request)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from balcao.billing.models import DirectDebitMandate, MandateEvent
from balcao.core.admin import PortugueseAdminMixin


class MandateEventInline(admin.TabularInline):
    model = MandateEvent
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DirectDebitMandate)
class DirectDebitMandateAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    list_display = ["reference", "account", "debtor_name", "iban_masked", "signed_at", "status"]
    list_filter = ["status"]
    list_select_related = ["account"]
    search_fields = ["=reference", "account__account_number", "debtor_name"]
    readonly_fields = [field.name for field in DirectDebitMandate._meta.fields]
    inlines = [MandateEventInline]

    @admin.display(description=_("IBAN"))
    def iban_masked(self, mandate):
        return mandate.masked_iban

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
