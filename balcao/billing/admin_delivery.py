"""The staff's side of delivering invoices (issue 13): each invoice's delivery, read-only,
with "Reenviar" for e-mails that failed; and "Imprimir faturas", a month's paper invoices
as one PDF made in the background (a page with its progress, then the file)."""

import datetime
from pathlib import PurePosixPath

from django import forms
from django.contrib import admin, messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.billing.models import InvoiceDelivery, InvoicePrintRun
from balcao.core.admin import PortugueseAdminMixin, progress_link


@admin.register(InvoiceDelivery)
class InvoiceDeliveryAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"  # o envio de fatura
    list_display = ["invoice", "channel", "to_address", "status", "attempts", "sent_at"]
    list_filter = ["channel", "status"]
    list_select_related = ["invoice"]
    search_fields = ["=invoice__number", "to_address"]
    readonly_fields = [
        "invoice",
        "channel",
        "to_address",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "note",
        "sent_at",
        "print_run",
        "created_at",
    ]
    actions = ["send_again"]

    def has_resend_permission(self, request):
        return request.user.has_perm("billing.change_invoicedelivery")

    @admin.action(description=_("Reenviar o e-mail das faturas"), permissions=["resend"])
    def send_again(self, request, queryset):
        from balcao.billing.services.deliveries import retry_now
        from balcao.billing.tasks import send_invoice_email_task

        chosen = list(queryset.filter(channel=InvoiceDelivery.Channel.EMAIL))
        count = retry_now(chosen)
        for delivery in chosen:
            send_invoice_email_task.enqueue(invoice_id=delivery.invoice_id)
        self.message_user(
            request,
            gettext("%(count)s e-mail(s) que falharam voltam a ser enviados.") % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PrintRunForm(forms.ModelForm):
    month_text = forms.CharField(
        label=_("Mês de emissão"),
        max_length=7,
        help_text=_("AAAA-MM: as faturas em papel emitidas nesse mês, por exemplo 2026-10."),
    )

    class Meta:
        model = InvoicePrintRun
        fields = ["include_sent"]

    def clean_month_text(self) -> datetime.date:
        from balcao.billing.services.billing_run import parse_month

        try:
            return parse_month(self.cleaned_data["month_text"])
        except ValueError:
            raise forms.ValidationError(
                _("Indique o mês como AAAA-MM, por exemplo 2026-10."), code="month"
            ) from None

    def clean(self):
        from balcao.billing.services.print_runs import unfinished_runs

        cleaned = super().clean()
        month = cleaned.get("month_text")
        if month and unfinished_runs(month).exists():
            raise forms.ValidationError(
                _("Já está a ser feita uma impressão deste mês: espere que termine."),
                code="busy",
            )
        return cleaned


@admin.register(InvoicePrintRun)
class InvoicePrintRunAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """ "Imprimir faturas" (Adicionar): the month; it runs in the background and its page
    shows how far it got, then the PDF to print."""

    gender = "f"  # a impressão de faturas
    list_display = ["__str__", "status", "done", "total", "pages", "created_at", "download"]
    list_filter = ["status"]
    readonly_fields = [
        "progress",
        "download",
        "month",
        "include_sent",
        "status",
        "total",
        "done",
        "pages",
        "error",
        "started_by",
        "created_at",
        "finished_at",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = PrintRunForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["month_text", "include_sent"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "title": _("Imprimir faturas")}
        return super().add_view(request, form_url, extra_context)

    @admin.display(description=_("Progresso"))
    def progress(self, obj):
        return progress_link(
            obj,
            gettext("%(done)s de %(total)s faturas (%(status)s).")
            % {"done": obj.done, "total": obj.total, "status": obj.get_status_display()},
        )

    @admin.display(description=_("PDF"))
    def download(self, obj):
        if not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:billing_invoiceprintrun_pdf", args=[obj.pk]),
            gettext("Descarregar o PDF para imprimir"),
        )

    def save_model(self, request, obj, form, change):
        from balcao.billing.services.print_runs import start_print_run

        created = start_print_run(
            month=form.cleaned_data["month_text"],
            include_sent=form.cleaned_data["include_sent"],
            actor=request.user,
        )
        obj.pk, obj.month = created.pk, created.month
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            gettext("A impressão das faturas de %(month)s começou.") % {"month": str(obj)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:billing_invoiceprintrun_change", args=[obj.pk]))

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="billing_invoiceprintrun_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        print_run = get_object_or_404(InvoicePrintRun, pk=pk)
        if not self.has_view_permission(request, print_run) or not print_run.file:
            raise Http404
        if not default_storage.exists(print_run.file):
            raise Http404
        return FileResponse(
            default_storage.open(print_run.file, "rb"),
            as_attachment=True,
            filename=PurePosixPath(print_run.file).name,
            content_type="application/pdf",
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
