"""The back office of unpaid invoices (issue 13): the cut-off warning runs, the reminders
and warnings sent, the payment plans; and, on a request's page, the clerk's answers that
touch an invoice ("Aceitar e definir prestações", "Corrigir a fatura (nota de crédito)"),
added to the requests' own action pages so that every rule of those pages applies."""

from typing import Any

from django.contrib import admin
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from balcao.accounts.models import User
from balcao.core.admin import EventInline, PortugueseAdminMixin, ReadOnlyInline, progress_link
from balcao.payments.forms import CreditNoteAnswerForm, InstalmentPlanForm, WarningRunForm
from balcao.payments.models import (
    DunningNotice,
    Instalment,
    PaymentPlan,
    WarningRun,
    WarningRunEvent,
)
from balcao.payments.services import dunning, invoice_requests, plans
from balcao.service_requests.admin import ACTIONS
from balcao.service_requests.models import RequestType, ServiceRequest


def _accept_plan(sr: ServiceRequest, actor: User, data: dict[str, Any]) -> ServiceRequest:
    return plans.accept_payment_plan(
        service_request=sr,
        instalments=data["instalments"],
        first_due_date=data["first_due_date"],
        actor=actor,
    ).request


def _answer_with_credit_note(
    sr: ServiceRequest, actor: User, data: dict[str, Any]
) -> ServiceRequest:
    invoice_requests.resolve_complaint_with_credit_note(
        service_request=sr, reason=data["reason"], message=data["message"], actor=actor
    )
    return sr


ACTIONS["prestacoes"] = (
    _("Aceitar e definir prestações"),
    InstalmentPlanForm,
    _accept_plan,
    lambda sr: sr.is_open and sr.request_type == RequestType.INSTALMENTS,
    _("O pedido n.º %(number)s foi aceite: as prestações estão na página da fatura."),
)
ACTIONS["nota-de-credito"] = (
    _("Corrigir a fatura (nota de crédito)"),
    CreditNoteAnswerForm,
    _answer_with_credit_note,
    lambda sr: (
        sr.is_open
        and sr.request_type == RequestType.COMPLAINT
        and sr.invoice_id is not None
        and invoice_requests.can_be_contested(sr.invoice)
    ),
    _("O pedido n.º %(number)s foi respondido: a fatura foi corrigida por nota de crédito."),
)


class InstalmentInline(ReadOnlyInline):
    model = Instalment
    fields = ["number", "due_date", "amount", "receipt_line"]


@admin.register(PaymentPlan)
class PaymentPlanAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """Granted on the request's page («Aceitar e definir prestações»); read-only here."""

    gender = "m"
    list_display = ["invoice", "request", "created_by", "created_at"]
    list_select_related = ["invoice", "request", "created_by"]
    search_fields = ["=invoice__number", "=request__number", "invoice__contract__contract_number"]
    readonly_fields = ["invoice", "request", "created_by", "created_at"]
    inlines = [InstalmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DunningNotice)
class DunningNoticeAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"
    list_display = ["invoice", "kind", "sent_on", "cut_off_date", "amount", "email", "instalment"]
    list_filter = ["kind", "sent_on"]
    list_select_related = ["invoice", "instalment"]
    search_fields = ["=invoice__number", "invoice__contract__contract_number"]
    date_hierarchy = "sent_on"
    readonly_fields = [
        "invoice",
        "instalment",
        "kind",
        "sent_on",
        "cut_off_date",
        "amount",
        "email",
        "warning_run",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WarningRunEventInline(EventInline):
    model = WarningRunEvent


@admin.register(WarningRun)
class WarningRunAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """ "Gerar avisos de interrupção" ("Adicionar"): the warnings of the invoices unpaid at
    due + 30 days, in the background; the page shows how far it got and, when done, the PDF
    to print and post."""

    gender = "f"  # a emissão
    list_display = ["__str__", "status", "done", "total", "created_at", "pdf_link"]
    list_filter = ["status"]
    readonly_fields = [
        "progress",
        "warning_date",
        "status",
        "total",
        "done",
        "pdf_link",
        "errors",
        "started_by",
        "created_at",
        "finished_at",
    ]
    inlines = [WarningRunEventInline]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/avisos.pdf",
                self.admin_site.admin_view(self.pdf_view),
                name="payments_warningrun_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        run = self.get_object(request, object_id)
        if run is None or not run.pdf or not self.has_view_permission(request, run):
            raise Http404("No PDF for this run.")
        return FileResponse(
            run.pdf.open("rb"),
            as_attachment=True,
            filename=f"avisos-interrupcao-{run.warning_date:%Y-%m-%d}.pdf",
            content_type="application/pdf",
        )

    def add_view(self, request, form_url="", extra_context=None):
        form = WarningRunForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            run = dunning.start_warning_run(
                warning_on=form.cleaned_data["warning_date"] or timezone.localdate(),
                actor=request.user,
            )
            self.message_user(
                request,
                gettext("Emissão de avisos iniciada: acompanhe-a nesta página."),
            )
            return HttpResponseRedirect(reverse("admin:payments_warningrun_change", args=[run.pk]))
        due = dunning.invoices_due_a_warning(timezone.localdate()).count()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Gerar avisos de interrupção do fornecimento"),
            "form": form,
            "due": ngettext(
                "%(count)d fatura por pagar há mais de 30 dias depois do prazo, sem aviso.",
                "%(count)d faturas por pagar há mais de 30 dias depois do prazo, sem aviso.",
                due,
            )
            % {"count": due},
        }
        return TemplateResponse(request, "payments/admin/warning_run_add.html", context)

    def get_fields(self, request, obj=None):
        return self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("Progresso"))
    def progress(self, obj):
        return progress_link(
            obj,
            gettext("%(done)s de %(total)s avisos (%(status)s).")
            % {"done": obj.done, "total": obj.total, "status": obj.get_status_display()},
        )

    @admin.display(description=_("PDF para imprimir"))
    def pdf_link(self, obj):
        if not obj.pdf:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:payments_warningrun_pdf", args=[obj.pk]),
            gettext("Descarregar PDF"),
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
