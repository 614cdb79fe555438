"""Billing's back office: the direct debit mandates, read-only (a mandate is kept as the
debtor accepted it; it is created when a clerk accepts the request); the tariffs (group
Faturação edits them until an invoice uses them); the series (their AT validation codes);
the issued invoices and credit notes, read-only."""

from django import forms
from django.contrib import admin, messages
from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.billing.models import (
    BillingRun,
    BillingRunEvent,
    DirectDebitMandate,
    Invoice,
    InvoiceDelivery,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSeries,
    MandateEvent,
    Tariff,
    TariffPrice,
    TariffService,
)
from balcao.core.admin import (
    EventInline,
    PortugueseAdminMixin,
    ReadOnlyInline,
    progress_link,
    yes_no,
)


class MandateEventInline(EventInline):
    model = MandateEvent


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

    @admin.display(description=_("Usado em faturas"))
    def in_use(self, obj):
        return yes_no(obj.is_in_use)

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


class InvoiceLineInline(ReadOnlyInline):
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


class InvoiceEventInline(EventInline):
    model = InvoiceEvent


class InvoiceDeliveryInline(ReadOnlyInline):
    """How the invoice went to the customer (e-mail or paper), on the invoice's page."""

    model = InvoiceDelivery
    fields = ["channel", "to_address", "status", "attempts", "sent_at", "last_error", "note"]


@admin.register(Invoice)
class InvoiceAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    """Issued documents, read-only: a correction is a credit note, never an edit."""

    list_display = ["number", "contract", "period_start", "issue_date", "gross_total", "status"]
    list_filter = ["status", "document_type", "series"]
    list_select_related = ["contract"]
    search_fields = ["=number", "=atcud", "contract__contract_number", "customer_nif"]
    date_hierarchy = "issue_date"
    # The yes/no of "estimated" in Portuguese (Django's icon would say "True"/"False").
    readonly_fields = [
        "estimated_yes_no" if field.name == "estimated" else field.name
        for field in Invoice._meta.fields
    ]
    fields = readonly_fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    inlines = [InvoiceLineInline, InvoiceEventInline, InvoiceDeliveryInline]
    actions = ["correct_invoices"]

    @admin.display(description=_("Consumo estimado"))
    def estimated_yes_no(self, invoice):
        return yes_no(invoice.estimated)

    def get_search_results(self, request, queryset, search_term):
        """The number and the ATCUD as printed ("FT 2026A/117", "ATCUD:CSDF7T5H-117") find
        their document: the default search splits the number at its space and finds nothing."""
        printed = " ".join(search_term.split())
        atcud = printed.removeprefix("ATCUD:").strip()
        whole = queryset.filter(Q(number__iexact=printed) | Q(atcud__iexact=atcud))
        if printed and whole.exists():
            return whole, False
        return super().get_search_results(request, queryset, search_term)

    def has_correct_permission(self, request):
        return request.user.has_perm("billing.add_invoice")

    @admin.action(
        description=_("Corrigir fatura (nota de crédito e nova fatura)"), permissions=["correct"]
    )
    def correct_invoices(self, request, queryset):
        """Faturação: each invoice chosen is cancelled by a credit note that says why, and
        the period billed again from the readings as they are now."""
        from balcao.billing.services.corrections import correct_invoice
        from balcao.billing.services.invoices import IssueError

        invoices = list(queryset.filter(document_type="FT").exclude(status="cancelled"))
        form = CorrectionForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for invoice in invoices:
                try:
                    note, replacement = correct_invoice(
                        invoice=invoice, reason=form.cleaned_data["reason"], actor=request.user
                    )
                except (IssueError, ValueError, DatabaseError) as error:
                    self.message_user(
                        request,
                        gettext("%(number)s não foi corrigida: %(error)s")
                        % {"number": invoice.number, "error": error},
                        messages.ERROR,
                    )
                else:
                    self.message_user(
                        request,
                        gettext("%(number)s anulada pela %(note)s; nova fatura %(new)s.")
                        % {
                            "number": invoice.number,
                            "note": note.number,
                            "new": replacement.number,
                        },
                        messages.SUCCESS,
                    )
            return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Corrigir fatura"),
            "invoices": invoices,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "billing/admin_correct_invoice.html", context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo da correção"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fica na nota de crédito, que o cliente recebe."),
    )


# --- The billing run ------------------------------------------------------------------


class BillingRunForm(forms.ModelForm):
    month = forms.CharField(
        label=_("Mês a faturar"), max_length=7, help_text=_("AAAA-MM, por exemplo 2026-10.")
    )
    issue_date = forms.DateField(
        label=_("Data de emissão"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/aaaa; hoje, se vazia."),
    )

    class Meta:
        model = BillingRun
        fields = ["municipality"]

    def clean_month(self):
        from balcao.billing.services.billing_run import parse_month

        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(
                _("Indique o mês como AAAA-MM, por exemplo 2026-10."), code="month"
            ) from None

    def clean(self):
        from django.utils import timezone

        from balcao.billing.services.billing_run import month_bounds

        cleaned = super().clean()
        month, day = cleaned.get("month"), cleaned.get("issue_date") or timezone.localdate()
        if month and month_bounds(month)[1] >= day:
            raise forms.ValidationError(
                _("O mês ainda não terminou: só se fatura um mês depois do seu último dia."),
                code="month_open",
            )
        return cleaned


class BillingRunEventInline(MandateEventInline):
    model = BillingRunEvent  # type: ignore[assignment]  # same columns, another event model


@admin.register(BillingRun)
class BillingRunAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """Faturação starts a month's run here ("Adicionar"); it runs in the background and
    its page shows how far it got ("Atualizar")."""

    gender = "f"  # a faturação mensal
    list_display = [
        "__str__",
        "status",
        "issued",
        "skipped",
        "failed",
        "seen",
        "total",
        "created_at",
    ]
    list_filter = ["status"]
    readonly_fields = [
        "progress",
        "period",
        "municipality",
        "issue_date",
        "status",
        "total",
        "seen",
        "issued",
        "skipped",
        "failed",
        "errors",
        "started_by",
        "created_at",
        "finished_at",
    ]
    inlines = [BillingRunEventInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = BillingRunForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["month", "municipality", "issue_date"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("Progresso"))
    def progress(self, obj):
        return progress_link(
            obj,
            gettext("%(seen)s de %(total)s contratos (%(status)s).")
            % {"seen": obj.seen, "total": obj.total, "status": obj.get_status_display()},
        )

    def save_model(self, request, obj, form, change):
        from balcao.billing.services.billing_run import start_billing_run

        municipality = form.cleaned_data.get("municipality")
        created = start_billing_run(
            month=form.cleaned_data["month"],
            municipality_code=municipality.code if municipality else None,
            issue_date=form.cleaned_data.get("issue_date"),
            actor=request.user,
        )
        obj.pk, obj.period, obj.issue_date = created.pk, created.period, created.issue_date
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(reverse("admin:billing_billingrun_change", args=[obj.pk]))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Delivering invoices: their own module (this one is long enough); registered with it.
from balcao.billing import admin_delivery  # noqa: E402, F401
