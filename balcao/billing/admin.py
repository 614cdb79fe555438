"""Billing's back office. For now: the direct debit mandates, read-only (a mandate is kept
as the debtor accepted it; it is created when a clerk accepts the request)."""

from django.contrib import admin

from balcao.billing.models import DirectDebitMandate, MandateEvent


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
class DirectDebitMandateAdmin(admin.ModelAdmin):
    list_display = ["reference", "account", "debtor_name", "masked_iban", "signed_at", "status"]
    list_filter = ["status"]
    list_select_related = ["account"]
    search_fields = ["=reference", "account__account_number", "debtor_name"]
    readonly_fields = [field.name for field in DirectDebitMandate._meta.fields]
    inlines = [MandateEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
