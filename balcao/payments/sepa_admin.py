"""Faturação's screens for direct debit: the files sent to the bank ("Adicionar" writes the
file of a due date, in the background, and its page shows how far it got), the bank's
answers ("Importar devoluções do banco": the upload of a pain.002 or camt.054, imported in
the background, its page the result) and each debit."""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.core.admin import EventInline, PortugueseAdminMixin, ReadOnlyInline, progress_link
from balcao.core.money import format_euros
from balcao.payments.admin_received_files import ReceivedFileAdmin, ReceivedFileForm
from balcao.payments.bank_files import BankFileError, read_bank_file, reason_text
from balcao.payments.models import (
    BankReturnFile,
    BankReturnFileEvent,
    DirectDebitBatch,
    DirectDebitCollection,
)
from balcao.payments.services.bank_returns import start_returns_import


class DirectDebitBatchForm(forms.ModelForm):
    class Meta:
        model = DirectDebitBatch
        fields = ["due_date"]
        help_texts = {
            "due_date": _(
                "As faturas por pagar das contas com débito direto que vencem neste dia, sem "
                "reclamação em aberto e ainda não enviadas ao banco."
            )
        }


class DirectDebitCollectionInline(ReadOnlyInline):
    model = DirectDebitCollection
    fields = (
        "invoice",
        "mandate",
        "amount",
        "sequence_type",
        "status",
        "reason_code",
        "returned_on",
        "new_due_date",
    )


@admin.register(DirectDebitBatch)
class DirectDebitBatchAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"  # o ficheiro de débitos diretos
    list_display = [
        "due_date",
        "status",
        "collections_count",
        "first_count",
        "recurrent_count",
        "total_amount",
        "created_at",
    ]
    list_filter = ["status"]
    date_hierarchy = "due_date"
    readonly_fields = [
        "progress",
        "due_date",
        "status",
        "download",
        "message_id",
        "schema",
        "total",
        "collections_count",
        "first_count",
        "recurrent_count",
        "skipped",
        "total_amount",
        "errors",
        "created_by",
        "created_at",
        "finished_at",
    ]
    inlines = [DirectDebitCollectionInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = DirectDebitBatchForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["due_date"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("Progresso"))
    def progress(self, obj):
        return progress_link(
            obj,
            gettext("%(seen)s de %(total)s faturas (%(status)s).")
            % {"seen": obj.seen, "total": obj.total, "status": obj.get_status_display()},
        )

    @admin.display(description=_("Ficheiro pain.008"))
    def download(self, obj):
        if not obj.file:
            return "—"
        return format_html('<a href="{}" download>{}</a>', obj.file.url, obj.file.name)

    def save_model(self, request, obj, form, change):
        from balcao.payments.services.direct_debit import start_collection

        created = start_collection(due_date=form.cleaned_data["due_date"], actor=request.user)
        obj.pk, obj.due_date, obj.created_at = created.pk, created.due_date, timezone.now()
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(
            reverse("admin:payments_directdebitbatch_change", args=[obj.pk])
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BankReturnUploadForm(ReceivedFileForm):
    upload = forms.FileField(
        label=_("Ficheiro do banco"),
        help_text=_(
            "A resposta do banco aos débitos diretos: um ficheiro XML pain.002 (relatório de "
            "estado) ou camt.054 (aviso de movimentos), como o banco o enviou."
        ),
    )

    class Meta(ReceivedFileForm.Meta):
        model = BankReturnFile

    def check_content(self, data: bytes) -> None:
        try:
            read_bank_file(data)  # the command's parser
        except BankFileError:
            raise forms.ValidationError(
                _(
                    "Este ficheiro não é uma resposta do banco aos débitos diretos: tem de ser "
                    "um ficheiro XML pain.002 ou camt.054."
                ),
                code="not_bank_file",
            ) from None


class BankReturnFileEventInline(EventInline):
    model = BankReturnFileEvent


@admin.register(BankReturnFile)
class BankReturnFileAdmin(ReceivedFileAdmin):
    """ "Importar devoluções do banco": Faturação uploads the bank's answer ("Adicionar"); it
    is imported in the background and its page shows the result, the returned debits with
    their reason."""

    gender = "m"  # o ficheiro de devoluções do banco
    upload_form = BankReturnUploadForm
    list_display = [
        "name",
        "kind",
        "status",
        "lines_read",
        "settled",
        "returned",
        "already_known",
        "unmatched",
        "imported_by",
        "created_at",
    ]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "progress",
        "name",
        "kind",
        "message_id",
        "status",
        "lines_read",
        "settled",
        "returned",
        "returned_debits",
        "already_known",
        "unmatched",
        "warnings",
        "error",
        "sha256",
        "content",
        "imported_by",
        "created_at",
        "finished_at",
    ]
    inlines = [BankReturnFileEventInline]

    def start_import(self, *, name, data, actor):
        return start_returns_import(name=name, data=data, actor=actor)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            extra_context = {**(extra_context or {}), "title": _("Importar devoluções do banco")}
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("Progresso"))
    def progress(self, obj):
        if obj.is_finished:
            text = gettext(
                "%(read)s débitos lidos: %(settled)s cobrados, %(returned)s devolvidos, "
                "%(known)s já registados, %(unmatched)s sem correspondência (%(status)s)."
            ) % {
                "read": obj.lines_read,
                "settled": obj.settled,
                "returned": obj.returned,
                "known": obj.already_known,
                "unmatched": obj.unmatched,
                "status": obj.get_status_display(),
            }
        else:
            text = gettext("%(status)s: a importação corre em segundo plano.") % {
                "status": obj.get_status_display()
            }
        return progress_link(obj, text)

    @admin.display(description=_("Débitos devolvidos"))
    def returned_debits(self, obj):
        returned = obj.returned_collections.select_related("invoice").order_by("pk")
        if not returned:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        gettext(
                            "Fatura %(number)s, %(amount)s, devolvido em %(on)s: "
                            "%(why)s (%(code)s)."
                        )
                        % {
                            "number": c.invoice.number,
                            "amount": format_euros(c.amount),
                            "on": f"{c.returned_on:%d/%m/%Y}",
                            "why": reason_text(c.reason_code),
                            "code": c.reason_code,
                        },
                    )
                    for c in returned
                ),
            ),
        )


@admin.register(DirectDebitCollection)
class DirectDebitCollectionAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"  # o débito direto
    list_display = [
        "end_to_end_id",
        "amount",
        "sequence_type",
        "status",
        "reason_code",
        "returned_on",
        "new_due_date",
    ]
    list_filter = ["status", "sequence_type", "reason_code"]
    search_fields = ["end_to_end_id", "mandate__reference"]
    readonly_fields = [
        "batch",
        "invoice",
        "mandate",
        "amount",
        "sequence_type",
        "end_to_end_id",
        "status",
        "payment",
        "settled_on",
        "reason_code",
        "returned_on",
        "new_due_date",
        "return_source",
        "return_file",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
