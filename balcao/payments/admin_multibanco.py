"""Payments' back office: Multibanco files (group Faturação uploads them; the import runs in
the background and its page follows it) and the queue "Pagamentos por conciliar", where a
clerk matches a line by hand to the account's open invoices or refunds it with a note."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.contracts.models import BillingAccount
from balcao.core.admin import EventInline, PortugueseAdminMixin, progress_link
from balcao.core.money import format_euros
from balcao.payments.admin_received_files import ReceivedFileAdmin, ReceivedFileForm
from balcao.payments.models import (
    MultibancoFile,
    MultibancoFileEvent,
    MultibancoLine,
    MultibancoLineEvent,
    PendingMultibancoLine,
)
from balcao.payments.multibanco_file import NotANotificationFile, read_lines
from balcao.payments.services import multibanco_import
from balcao.payments.services.multibanco_import import progress_of, start_import
from balcao.payments.services.receipts import PaymentError, open_amount


class MultibancoFileEventInline(EventInline):
    model = MultibancoFileEvent


class MultibancoLineEventInline(EventInline):
    model = MultibancoLineEvent


# --- Files ----------------------------------------------------------------------------


class MultibancoUploadForm(ReceivedFileForm):
    upload = forms.FileField(
        label=_("Ficheiro de pagamentos Multibanco"),
        help_text=_(
            "CSV da rede Multibanco, separado por ponto e vírgula, com a linha de cabeçalho "
            "entity;reference;amount;paid_at;terminal;transaction_id."
        ),
    )

    class Meta(ReceivedFileForm.Meta):
        model = MultibancoFile

    def check_content(self, data: bytes) -> None:
        try:
            next(iter(read_lines(data)), None)
        except NotANotificationFile:
            raise forms.ValidationError(
                _(
                    "Este ficheiro não é um ficheiro de pagamentos Multibanco: a primeira "
                    "linha tem de ser entity;reference;amount;paid_at;terminal;transaction_id."
                ),
                code="not_multibanco",
            ) from None


@admin.register(MultibancoFile)
class MultibancoFileAdmin(ReceivedFileAdmin):
    """Faturação uploads the network's file ("Adicionar"); it is imported in the background
    and its page shows how far it got ("Atualizar")."""

    gender = "m"  # o ficheiro Multibanco
    upload_form = MultibancoUploadForm
    list_display = [
        "name",
        "status",
        "lines_read",
        "matched",
        "queued",
        "already_imported",
        "imported_by",
        "created_at",
    ]
    list_filter = ["status"]
    readonly_fields = [
        "progress",
        "name",
        "status",
        "lines_read",
        "matched",
        "queued_link",
        "already_imported",
        "error",
        "sha256",
        "content",
        "imported_by",
        "created_at",
        "finished_at",
    ]
    inlines = [MultibancoFileEventInline]

    def start_import(self, *, name, data, actor):
        return start_import(name=name, data=data, actor=actor)

    @admin.display(description=_("Progresso"))
    def progress(self, obj):
        running = progress_of(obj) if not obj.is_finished else None
        if running is not None:
            text = gettext("%(seen)s de %(total)s linhas (%(status)s).") % {
                "seen": running[0],
                "total": running[1],
                "status": obj.get_status_display(),
            }
        else:
            text = gettext("%(read)s linhas lidas (%(status)s).") % {
                "read": obj.lines_read,
                "status": obj.get_status_display(),
            }
        return progress_link(obj, text)

    @admin.display(description=_("Por conciliar"))
    def queued_link(self, obj):
        if not obj.queued:
            return "0"
        url = reverse("admin:payments_pendingmultibancoline_changelist")
        return format_html(
            '<a href="{}?file__id__exact={}">{}</a>',
            url,
            obj.pk,
            gettext("%(count)s linhas por conciliar") % {"count": obj.queued},
        )


# --- Lines and the queue ------------------------------------------------------------------

LINE_COLUMNS = [
    "file",
    "line_number",
    "paid_at",
    "entity",
    "reference",
    "amount_euros",
    "transaction_id",
]
LINE_FIELDS = list(multibanco_import.LINE_COLUMNS)  # every column the import writes


class _LineAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    list_select_related = ["file", "account"]
    search_fields = ["=reference", "=transaction_id", "=account__account_number"]
    readonly_fields = LINE_FIELDS
    inlines = [MultibancoLineEventInline]

    @admin.display(description=_("Montante"), ordering="amount")
    def amount_euros(self, obj):
        return format_euros(obj.amount)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MultibancoLine)
class MultibancoLineAdmin(_LineAdmin):
    """Every line of every file, as read, and what became of it (read-only)."""

    gender = "f"
    list_display = [*LINE_COLUMNS, "status", "reason"]
    list_filter = ["status", "reason", "file"]


class MatchAccountForm(forms.Form):
    account = forms.CharField(
        label=_("Conta de faturação"),
        max_length=20,
        help_text=_("O número da conta do cliente que pagou (vem na fatura)."),
    )

    def clean_account(self):
        number = self.cleaned_data["account"].strip()
        account = BillingAccount.objects.filter(account_number=number).first()
        if account is None:
            raise forms.ValidationError(
                _("Não há nenhuma conta de faturação com o número %(number)s."),
                params={"number": number},
                code="unknown_account",
            )
        return account


class InvoiceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return gettext("%(number)s — %(period)s — total %(total)s, em dívida %(open)s") % {
            "number": obj.number,
            "period": f"{obj.period_start:%m/%Y}",
            "total": format_euros(obj.gross_total),
            "open": format_euros(open_amount(obj)),
        }


class MatchInvoicesForm(forms.Form):
    invoices = InvoiceChoice(
        label=_("Faturas a pagar"),
        queryset=MultibancoLine.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pagas da mais antiga para a mais recente, enquanto o montante chegar."),
    )

    def __init__(self, *args, invoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoices"].queryset = invoices


class RefundForm(forms.Form):
    note = forms.CharField(
        label=_("Nota do reembolso"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Como e quando o montante foi devolvido (por exemplo, a transferência)."),
    )


@admin.register(PendingMultibancoLine)
class PendingMultibancoLineAdmin(_LineAdmin):
    """ "Pagamentos por conciliar": the queued lines with their reason; each is matched by
    hand ("Conciliar") or refunded ("Reembolsar") by group Faturação."""

    gender = "m"  # o pagamento por conciliar
    list_display = [*LINE_COLUMNS, "reason", "detail", "account", "resolve_links"]
    list_filter = ["reason", "file"]
    actions = ["match_lines", "refund_lines"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=MultibancoLine.Status.QUEUED)

    def has_resolve_permission(self, request, obj=None):
        return request.user.has_perm("payments.change_pendingmultibancoline")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/conciliar/", view(self.match_view), name="payments_line_match"),
            path("<int:pk>/reembolsar/", view(self.refund_view), name="payments_line_refund"),
            *super().get_urls(),
        ]

    @admin.display(description=_("Resolver"))
    def resolve_links(self, obj):
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            [
                (reverse("admin:payments_line_match", args=[obj.pk]), gettext("Conciliar")),
                (reverse("admin:payments_line_refund", args=[obj.pk]), gettext("Reembolsar")),
            ],
        )

    def _line(self, request, pk):
        if not self.has_resolve_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _context(self, request, line, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "line": line,
            "opts": self.model._meta,
            **extra,
        }

    def match_view(self, request, pk):
        """Find the account (the one the reference names, or typed), choose its invoices."""
        from balcao.payments.services.reconciliation import match_by_hand, open_invoices_of

        line = self._line(request, pk)
        typed = request.GET.get("conta")
        account_form = MatchAccountForm(
            {"account": typed} if typed else None,
            initial={"account": line.account.account_number if line.account else ""},
        )
        account = line.account if not typed else None
        if typed and account_form.is_valid():
            account = account_form.cleaned_data["account"]
        form = None
        if account is not None:
            form = MatchInvoicesForm(
                request.POST if request.method == "POST" else None,
                invoices=open_invoices_of(account),
            )
            if form.is_valid():
                try:
                    payment = match_by_hand(
                        line=line, invoices=list(form.cleaned_data["invoices"]), actor=request.user
                    )
                except PaymentError as error:
                    form.add_error("invoices", str(error))
                else:
                    self.message_user(
                        request,
                        gettext("Pagamento registado na conta %(account)s: recibo %(receipt)s.")
                        % {"account": account.account_number, "receipt": payment.receipt.number},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:payments_pendingmultibancoline_changelist")
                    )
        context = self._context(
            request,
            line,
            gettext("Conciliar o pagamento à mão"),
            account=account,
            account_form=account_form,
            form=form,
        )
        return TemplateResponse(request, "admin/payments/match_line.html", context)

    def refund_view(self, request, pk):
        from balcao.payments.services.reconciliation import refund_line

        line = self._line(request, pk)
        form = RefundForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            try:
                refund_line(line=line, note=form.cleaned_data["note"], actor=request.user)
            except PaymentError as error:
                form.add_error("note", str(error))
            else:
                self.message_user(
                    request,
                    gettext("Linha %(line)s de %(file)s marcada como reembolsada.")
                    % {"line": line.line_number, "file": line.file.name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:payments_pendingmultibancoline_changelist")
                )
        context = self._context(request, line, gettext("Reembolsar o pagamento"), form=form)
        return TemplateResponse(request, "admin/payments/refund_line.html", context)

    def _one(self, request, queryset, url_name):
        lines = list(queryset[:2])
        if len(lines) != 1:
            self.message_user(request, gettext("Escolha uma linha de cada vez."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse(url_name, args=[lines[0].pk]))

    @admin.action(description=_("Conciliar à mão com uma fatura"), permissions=["resolve"])
    def match_lines(self, request, queryset):
        """One line: its page, where the account's open invoices are chosen."""
        return self._one(request, queryset, "admin:payments_line_match")

    @admin.action(description=_("Reembolsar"), permissions=["resolve"])
    def refund_lines(self, request, queryset):
        """One line: its refund page (the note is asked there)."""
        return self._one(request, queryset, "admin:payments_line_refund")
