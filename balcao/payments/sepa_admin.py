"""Faturação's screens for direct debit: the files sent to the bank ("Adicionar" writes the
file of a due date, in the background, and its page shows how far it got) and each debit."""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.core.admin import PortugueseAdminMixin, progress_link
from balcao.payments.models import DirectDebitBatch, DirectDebitCollection


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


class DirectDebitCollectionInline(admin.TabularInline):
    model = DirectDebitCollection
    extra = 0
    can_delete = False
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
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
