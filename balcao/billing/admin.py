"""Billing's back office: the direct debit mandates, read-only (a mandate is kept as the
debtor accepted it; it is created when a clerk accepts the request); the tariffs (group
Faturação edits them until an invoice uses them); the series (their AT validation codes);
the issued invoices and credit notes, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from balcao.billing.models import (
    DirectDebitMandate,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSeries,
    MandateEvent,
    Tariff,
    TariffPrice,
    TariffService,
)
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


# --- Tariffs ------------------------------------------------------------------------


class _TariffRowsInline(admin.TabularInline):
    """A tariff's rows are edited with it, and frozen with it once an invoice used it."""

    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.is_in_use

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class TariffServiceInline(_TariffRowsInline):
    model = TariffService
    fields = ["service", "vat_rate", "exemption_code", "exemption_reason"]


class TariffPriceInline(_TariffRowsInline):
    model = TariffPrice
    fields = ["service", "kind", "up_to_calibre_mm", "up_to", "price"]


@admin.register(Tariff)
class TariffAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"
    """Group Faturação edits tariffs; one used by an issued invoice is read-only (a new
    tariff from a later date supersedes it)."""

    list_display = ["name", "tariff_type", "valid_from", "sanitation_coefficient", "in_use"]
    list_filter = ["tariff_type"]
    fields = ["name", "tariff_type", "valid_from", "sanitation_coefficient", "source"]
    inlines = [TariffServiceInline, TariffPriceInline]
    save_as = True  # "Guardar como novo": the way to supersede a tariff from a later date

    @admin.display(boolean=True, description=_("Usado em faturas"))
    def in_use(self, obj):
        return obj.is_in_use

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_in_use:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_in_use:
            return False
        return super().has_delete_permission(request, obj)


# --- Series and documents -----------------------------------------------------------


@admin.register(InvoiceSeries)
class InvoiceSeriesAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    """The AT validation code is set when the series is registered, before its first
    document; from then on it is part of every ATCUD issued and stays."""

    list_display = ["code", "document_type", "validation_code", "last_number", "last_issue_date"]
    fields = ["code", "document_type", "validation_code", "last_number", "last_issue_date"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.last_number:
            return self.fields
        if obj is not None:
            return ["code", "document_type", "last_number", "last_issue_date"]
        return ["last_number", "last_issue_date"]

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    fields = [
        "position",
        "description",
        "quantity",
        "unit_price",
        "amount",
        "vat_rate",
        "exemption_code",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvoiceEventInline(MandateEventInline):
    model = InvoiceEvent  # type: ignore[assignment]  # same columns, another event model


@admin.register(Invoice)
class InvoiceAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    """Issued documents, read-only: a correction is a credit note, never an edit."""

    list_display = ["number", "contract", "period_start", "issue_date", "gross_total", "status"]
    list_filter = ["status", "document_type", "series"]
    list_select_related = ["contract"]
    search_fields = ["=number", "=atcud", "contract__contract_number", "customer_nif"]
    date_hierarchy = "issue_date"
    readonly_fields = [field.name for field in Invoice._meta.fields]
    inlines = [InvoiceLineInline, InvoiceEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
