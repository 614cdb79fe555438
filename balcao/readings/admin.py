"""The Leituras team's screens: company readings, the readings queue, meter replacement."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from balcao.contracts.models import Installation
from balcao.core.admin import PortugueseAdminMixin, yes_no
from balcao.readings import services
from balcao.readings.models import Reading, ReadingEvent, ReadingReminderPreference


def _installation_by_cil(cil: str) -> Installation:
    installation = Installation.objects.filter(cil=cil.strip()).first()
    if installation is None:
        raise ValidationError(_("Não existe nenhuma instalação com este CIL."))
    return installation


class CompanyReadingForm(forms.ModelForm):
    """A company reading typed by staff: checked by the same rules as an import."""

    cil = forms.CharField(label=_("Instalação (CIL)"), max_length=20)

    class Meta:
        model = Reading
        fields = ["taken_on", "index", "reader"]

    def clean(self):
        cleaned = super().clean()
        cil = cleaned.get("cil")
        if cil and cleaned.get("taken_on") and cleaned.get("index") is not None:
            try:
                installation = _installation_by_cil(cil)
                services.validate_company_reading(
                    installation=installation, taken_on=cleaned["taken_on"], index=cleaned["index"]
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from error
            cleaned["installation"] = installation
        return cleaned


class ReadingEventInline(admin.TabularInline):
    model = ReadingEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reading)
class ReadingAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    list_display = [
        "taken_on",
        "installation",
        "meter",
        "index",
        "origin",
        "status",
        "history_reason",
        "receipt_number",
        "invoice_number",
    ]
    list_filter = ["origin", "status", "history_reason", "taken_on"]
    search_fields = ["installation__cil", "meter__serial", "receipt_number", "invoice_number"]
    date_hierarchy = "taken_on"
    list_select_related = ["installation", "meter"]
    ordering = ["-taken_on", "-created_at", "-pk"]  # newest first: what came in lately
    inlines = [ReadingEventInline]
    change_list_template = "readings/admin_change_list.html"
    # Every field is the services' to write: a reading is never edited by hand.
    readonly_fields = [
        "installation",
        "meter",
        "taken_on",
        "index",
        "origin",
        "status",
        "history_reason",
        "invoice_number",
        "receipt_number",
        "submitted_by",
        "reader",
        "created_at",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CompanyReadingForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["cil", "taken_on", "index", "reader"]
        return self.readonly_fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = services.record_company_reading(
            installation=form.cleaned_data["installation"],
            taken_on=form.cleaned_data["taken_on"],
            index=form.cleaned_data["index"],
            reader=form.cleaned_data.get("reader", ""),
            actor=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False
        obj.refresh_from_db()  # as stored: its origin and status name it in the message

    def get_urls(self):
        return [
            path(
                "substituir-contador/",
                self.admin_site.admin_view(self.replace_meter_view),
                name="readings_replace_meter",
            ),
            *super().get_urls(),
        ]

    def replace_meter_view(self, request):
        if not request.user.has_perm("contracts.change_meter"):
            return redirect("admin:index")
        form = ReplaceMeterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                meter = services.replace_meter(
                    installation=data["installation"],
                    removed_on=data["removed_on"],
                    final_index=data["final_index"],
                    new_serial=data["new_serial"],
                    new_initial_index=data["new_initial_index"],
                    new_calibre_mm=data.get("new_calibre_mm"),
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Contador substituído: a instalação %(cil)s tem agora o contador %(serial)s.")
                    % {"cil": data["installation"].cil, "serial": meter.serial},
                )
                return redirect(reverse("admin:readings_reading_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Substituir contador"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "readings/admin_replace_meter.html", context)


class ReplaceMeterForm(forms.Form):
    cil = forms.CharField(label=_("Instalação (CIL)"), max_length=20)
    removed_on = forms.DateField(
        label=_("Data da substituição"),
        help_text=_("dd/mm/aaaa"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    final_index = forms.IntegerField(label=_("Índice final do contador retirado (m³)"), min_value=0)
    new_serial = forms.CharField(label=_("Número de série do contador novo"), max_length=30)
    new_initial_index = forms.IntegerField(
        label=_("Índice inicial do contador novo (m³)"), min_value=0, initial=0
    )
    new_calibre_mm = forms.IntegerField(
        label=_("Calibre do contador novo (mm)"),
        min_value=1,
        required=False,
        help_text=_("Em branco: o mesmo do contador retirado."),
    )

    def clean_cil(self):
        self.cleaned_data["installation"] = _installation_by_cil(self.cleaned_data["cil"])
        return self.cleaned_data["cil"]


@admin.register(ReadingReminderPreference)
class ReadingReminderPreferenceAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "f"
    list_display = ["user", "reminder", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "reminder", "updated_at"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups

    @admin.display(description=_("Lembrete por e-mail"), ordering="enabled")
    def reminder(self, preference):
        return yes_no(preference.enabled)

    def has_add_permission(self, request):
        return False
