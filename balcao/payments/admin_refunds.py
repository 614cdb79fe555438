"""Refunds' back office: "Reembolsos por fazer", what customers had paid of invoices credit
notes cancelled; group Faturação pays each back and marks it ("Marcar como reembolsado"),
with the method and an optional note, as a Multibanco line is refunded with a note."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.billing.models import DirectDebitMandate
from balcao.core.admin import PortugueseAdminMixin
from balcao.core.money import format_euros
from balcao.payments.models import Refund, RefundMethod
from balcao.payments.services.receipts import PaymentError

CHANGELIST = "admin:payments_refund_changelist"


class MarkRefundedForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Meio do reembolso"),
        choices=RefundMethod.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Nota do reembolso"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Como e quando o montante foi devolvido (por exemplo, a transferência)."),
    )


@admin.register(Refund)
class RefundAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """What is owed back, oldest first among the open ones; only marked as done, never
    added, edited or deleted (the credit note records it)."""

    gender = "m"  # o reembolso
    list_display = [
        "invoice",
        "credit_note",
        "account",
        "customer_nif",
        "amount_euros",
        "iban",
        "status",
        "created_at",
        "done_at",
        "done_link",
    ]
    list_filter = ["status", "method"]
    search_fields = ["invoice__number", "credit_note__number", "=invoice__customer_nif"]
    readonly_fields = [field.name for field in Refund._meta.fields]
    actions = ["mark_refunded"]

    def get_queryset(self, request):
        active = DirectDebitMandate.objects.filter(status=DirectDebitMandate.Status.ACTIVE)
        return (
            super()
            .get_queryset(request)
            .select_related("invoice", "credit_note", "account", "done_by")
            .prefetch_related(
                Prefetch("account__mandates", queryset=active, to_attr="active_mandates")
            )
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_done_permission(self, request, obj=None):
        return request.user.has_perm("payments.change_refund")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/reembolsado/", view(self.done_view), name="payments_refund_done"),
            *super().get_urls(),
        ]

    @admin.display(description=_("NIF"), ordering="invoice__customer_nif")
    def customer_nif(self, obj):
        return obj.invoice.customer_nif

    @admin.display(description=_("Montante"), ordering="amount")
    def amount_euros(self, obj):
        return format_euros(obj.amount)

    @admin.display(description=_("IBAN"))
    def iban(self, obj):
        """The IBAN of the account's direct debit mandate in force, masked; "-" without."""
        mandates = obj.account.active_mandates
        return mandates[0].masked_iban if mandates else "-"

    @admin.display(description=_("Reembolsar"))
    def done_link(self, obj):
        if obj.status != Refund.Status.TO_REFUND:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:payments_refund_done", args=[obj.pk]),
            gettext("Marcar como reembolsado"),
        )

    def done_view(self, request, pk):
        from balcao.payments.services.refunds import mark_refunded

        if not self.has_done_permission(request):
            raise PermissionDenied
        refund = get_object_or_404(self.get_queryset(request), pk=pk)
        form = MarkRefundedForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                mark_refunded(
                    refund=refund,
                    method=form.cleaned_data["method"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except PaymentError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    gettext("Reembolso de %(amount)s da fatura %(invoice)s marcado como feito.")
                    % {"amount": format_euros(refund.amount), "invoice": refund.invoice.number},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse(CHANGELIST))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Marcar como reembolsado"),
            "refund": refund,
            "amount": format_euros(refund.amount),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/payments/refund_done.html", context)

    @admin.action(description=_("Marcar como reembolsado"), permissions=["done"])
    def mark_refunded(self, request, queryset):
        """One refund: its page (the method and the note are asked there)."""
        refunds = list(queryset[:2])
        if len(refunds) != 1:
            self.message_user(
                request, gettext("Escolha um reembolso de cada vez."), messages.WARNING
            )
            return None
        return HttpResponseRedirect(reverse("admin:payments_refund_done", args=[refunds[0].pk]))
