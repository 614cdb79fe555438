"""Activation letters: "Imprimir cartas" prints the pending ones as one PDF."""

from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balcao.contracts import services
from balcao.contracts.models import Letter
from balcao.core.admin import PortugueseAdminMixin


class LetterStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("estado")
    parameter_name = "estado"

    def lookups(self, request, model_admin):
        return [("pendente", _("Por imprimir")), ("enviada", _("Enviadas"))]

    def queryset(self, request, queryset):
        if self.value() == "pendente":
            return queryset.filter(printed_at__isnull=True)
        if self.value() == "enviada":
            return queryset.filter(printed_at__isnull=False)
        return queryset


@admin.register(Letter)
class LetterAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """Activation letters: "Imprimir cartas" prints the pending ones as one PDF."""

    gender = "f"
    # Short dates, so that the list and its PDF column fit a 1280 px screen beside the menu.
    list_display = ["created", "recipient_name", "contract_number", "printed", "pdf_link"]
    list_filter = [LetterStatusFilter]
    list_select_related = ["subscription__contract"]
    search_fields = ["recipient_name", "subscription__contract__contract_number"]
    # Pending letters first (NULLS FIRST on every database), oldest first.
    ordering = [F("printed_at").asc(nulls_first=True), "created_at", "pk"]
    actions = ["print_action"]
    fields = [
        "subscription",
        "recipient_name",
        "address_lines",
        "created_at",
        "printed_at",
        "printed_by",
        "pdf_link",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("pedida em"), ordering="created_at")
    def created(self, obj):
        return _short(obj.created_at)

    @admin.display(description=gettext_lazy("impressa em"), ordering="printed_at")
    def printed(self, obj):
        return _short(obj.printed_at)

    @admin.display(description=gettext_lazy("Contrato"))
    def contract_number(self, obj):
        return obj.subscription.contract.contract_number if obj.subscription.contract else "—"

    def get_list_display(self, request):
        # The kept PDF is for the staff who print (a permission of its own).
        shown = super().get_list_display(request)
        if self.has_print_permission(request):
            return shown
        return [name for name in shown if name != "pdf_link"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_print_permission(request, obj):
            return fields
        return [name for name in fields if name != "pdf_link"]

    @admin.display(description=gettext_lazy("PDF"))
    def pdf_link(self, obj):
        if not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:contracts_letter_pdf", args=[obj.pk]),
            _("Ver a carta"),
        )

    def has_print_permission(self, request, obj=None):
        return request.user.has_perm("contracts.print_letters")

    @admin.action(description=gettext_lazy("Imprimir cartas"), permissions=["print"])
    def print_action(self, request, queryset):
        pdf, count = services.print_letters(
            letter_ids=queryset.values_list("pk", flat=True), clerk=request.user
        )
        if not count:
            self.message_user(
                request, _("Não há cartas por imprimir entre as escolhidas."), messages.WARNING
            )
            return None
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="cartas-ativacao-{stamp}.pdf"'
        return response

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="contracts_letter_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        letter = get_object_or_404(Letter, pk=pk)
        if not self.has_print_permission(request, letter) or not letter.file:
            raise Http404
        path_ = Path(settings.LETTERS_DIR) / letter.file
        if not path_.is_file():
            raise Http404
        return FileResponse(path_.open("rb"), content_type="application/pdf")


def _short(moment):
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "—"
