"""Payments' back office: payments and receipts, read-only (a payment is never edited);
Faturação registers a counter payment ("Registar pagamento", the payment's add page) and
reverses one registered by mistake ("Anular pagamento", asking why). Atendimento reads."""

import datetime
import logging

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.core.admin import PortugueseAdminMixin, ReadOnlyInline
from balcao.core.money import format_euros
from balcao.payments.models import Payment, Receipt, ReceiptLine
from balcao.payments.receipt_forms import (
    AccountLookupForm,
    RegisterPaymentForm,
    ReversePaymentForm,
)
from balcao.payments.services.receipts import PaymentError, register_payment, reverse_payment

logger = logging.getLogger(__name__)

COUNTER_SOURCE = "Balcão"


class _ReadOnlyAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(_ReadOnlyAdmin):
    """Money received, read-only; its add page is "Registar pagamento" (counter payments)."""

    gender = "m"
    list_display = [
        "paid_at",
        "account",
        "method",
        "amount",
        "receipt_number",
        "source",
        "state",
    ]
    list_filter = ["method"]
    list_select_related = ["account", "receipt", "reversal", "reverses__receipt"]
    search_fields = ["=account__account_number", "=receipt__number", "=transaction_id"]
    date_hierarchy = "paid_at"
    readonly_fields = [
        "account",
        "method",
        "paid_at",
        "amount",
        "source",
        "transaction_id",
        "receipt_link",
        "state",
        "reverses",
        "reason",
        "created_by",
        "created_at",
    ]
    fields = readonly_fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    change_form_template = "payments/admin/payment_change_form.html"
    change_list_template = "payments/admin/payment_change_list.html"

    @admin.display(description=_("Recibo"))
    def receipt_number(self, payment):
        receipt = getattr(payment, "receipt", None)
        return receipt.number if receipt else "—"

    @admin.display(description=_("Recibo"))
    def receipt_link(self, payment):
        receipt = getattr(payment, "receipt", None)
        if receipt is None:
            return "—"
        url = reverse("admin:payments_receipt_change", args=[receipt.pk])
        return format_html('<a href="{}">{}</a>', url, receipt.number)

    @admin.display(description=_("Situação"))
    def state(self, payment):
        if payment.is_reversal:
            receipt = getattr(payment.reverses, "receipt", None)
            return gettext("Anulação do pagamento do recibo %(number)s") % {
                "number": receipt.number if receipt else payment.reverses_id
            }
        if hasattr(payment, "reversal"):
            return gettext("Anulado")
        return gettext("Registado")

    def has_add_permission(self, request):
        return request.user.has_perm("payments.add_payment")

    def can_reverse(self, request, payment) -> bool:
        return (
            self.has_add_permission(request)
            and not payment.is_reversal
            and not Payment.objects.filter(reverses=payment).exists()
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/anular/",
                self.admin_site.admin_view(self.reverse_view),
                name="payments_payment_reverse",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        payment = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_reverse": payment is not None and self.can_reverse(request, payment),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    def add_view(self, request, form_url="", extra_context=None):
        """Registar pagamento: find the account, then the invoices, method, date, amount."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        lookup = AccountLookupForm(request.GET if "account" in request.GET else None)
        form = None
        if lookup.is_valid():
            account = lookup.cleaned_data["account"]
            form = RegisterPaymentForm(
                request.POST if request.method == "POST" else None,
                account=account,
                initial={"paid_on": timezone.localdate()},
            )
            if request.method == "POST" and form.is_valid():
                done = self._register(request, account, form)
                if done is not None:
                    return done
        title = _("Registar pagamento")
        if (form is not None and form.errors) or lookup.errors:
            title = gettext("Erro: %(title)s") % {"title": title}
        context = self._context(
            request,
            title,
            lookup=lookup,
            form=form,
            account=lookup.cleaned_data.get("account") if lookup.is_valid() else None,
        )
        return TemplateResponse(request, "payments/admin/register_payment.html", context)

    def _register(self, request, account, form):
        data = form.cleaned_data
        paid_on: datetime.date = data["paid_on"]
        now = timezone.localtime()
        paid_at = (
            now
            if paid_on == now.date()
            else timezone.make_aware(datetime.datetime.combine(paid_on, datetime.time(12)))
        )
        try:
            payment = register_payment(
                account=account,
                method=data["method"],
                paid_at=paid_at,
                amount=data["amount"],
                allocations=form.allocations(),
                source=COUNTER_SOURCE,
                actor=request.user,
            )
        except (PaymentError, DatabaseError) as error:
            # The invoices changed since the page was drawn (paid by a file, another clerk).
            logger.warning("Counter payment on %s refused: %s", account, error)
            form.add_error(
                None,
                _(
                    "O pagamento não foi registado: as faturas escolhidas mudaram entretanto. "
                    "Verifique a lista e tente de novo."
                ),
            )
            return None
        messages.success(
            request,
            gettext("Pagamento de %(amount)s registado: recibo %(number)s.")
            % {"amount": format_euros(payment.amount), "number": payment.receipt.number},
        )
        return HttpResponseRedirect(reverse("admin:payments_payment_change", args=[payment.pk]))

    def reverse_view(self, request, object_id):
        """Anular pagamento: a reversing record with the reason; the receipt is cancelled."""
        payment = self.get_object(request, object_id)
        if payment is None:
            raise Http404("No such payment.")
        if not self.has_add_permission(request):
            raise PermissionDenied
        change_url = reverse("admin:payments_payment_change", args=[payment.pk])
        if not self.can_reverse(request, payment):
            messages.error(request, gettext("Este pagamento já não pode ser anulado."))
            return HttpResponseRedirect(change_url)
        form = ReversePaymentForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                reverse_payment(payment, reason=form.cleaned_data["reason"], actor=request.user)
            except PaymentError:
                messages.error(request, gettext("Este pagamento já não pode ser anulado."))
            else:
                messages.success(
                    request,
                    gettext("Pagamento anulado: o recibo %(number)s ficou anulado.")
                    % {"number": payment.receipt.number},
                )
            return HttpResponseRedirect(change_url)
        title = _("Anular pagamento")
        if form.errors:
            title = gettext("Erro: %(title)s") % {"title": title}
        context = self._context(request, title, payment=payment, form=form, change_url=change_url)
        return TemplateResponse(request, "payments/admin/reverse_payment.html", context)


class ReceiptLineInline(ReadOnlyInline):
    model = ReceiptLine
    fields = ["position", "invoice", "amount"]


@admin.register(Receipt)
class ReceiptAdmin(_ReadOnlyAdmin):
    """Receipts as issued, read-only; the PDF kept at issue opens from here."""

    gender = "m"
    list_display = ["number", "customer_name", "account", "issue_date", "gross_total", "status"]
    list_filter = ["status", "series"]
    list_select_related = ["account"]
    search_fields = ["=number", "=atcud", "=account__account_number", "customer_nif"]
    date_hierarchy = "issue_date"
    readonly_fields = [field.name for field in Receipt._meta.fields if field.name != "pdf"] + [
        "pdf_link"
    ]
    fields = readonly_fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    inlines = [ReceiptLineInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, receipt):
        if not receipt.pdf:
            return gettext("PDF em preparação")
        url = reverse("admin:payments_receipt_pdf", args=[receipt.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Descarregar o recibo"))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="payments_receipt_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        receipt = self.get_object(request, object_id)
        if receipt is None or not self.has_view_permission(request, receipt) or not receipt.pdf:
            raise Http404("No such receipt PDF.")
        filename = receipt.number.replace(" ", "-").replace("/", "-") + ".pdf"
        return FileResponse(
            receipt.pdf.open("rb"), as_attachment=True, filename=filename,
            content_type="application/pdf",
        )  # fmt: skip


# The other parts of the back office, registered on import.
from balcao.payments import admin_dunning, admin_multibanco, admin_refunds, sepa_admin  # noqa: E402, F401, I001
