"""The staff's screens for notices (group Atendimento): publish, change, withdraw."""

import re

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from balcao.contracts.models import Contract
from balcao.core.admin import PortugueseAdminMixin
from balcao.core.forms import NamedErrorsMixin
from balcao.core.models import Parish
from balcao.notices import services
from balcao.notices.models import Notice, NoticeEvent


class NoticeAdminForm(NamedErrorsMixin, forms.ModelForm):
    """Staff name the contracts by their numbers, as they read them on the contract."""

    contract_numbers = forms.CharField(
        label=_("Números de contrato"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Só para «Contratos indicados»: um número por linha, ou separados por vírgulas."
        ),
    )

    class Meta:
        model = Notice
        fields = [
            "title",
            "text",
            "starts_at",
            "ends_at",
            "audience",
            "municipality",
            "parish",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Parishes in force today; the current one stays choosable on an older notice.
        in_force = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        if self.instance.parish_id:
            in_force |= Q(pk=self.instance.parish_id)
        self.fields["parish"].queryset = Parish.objects.filter(in_force).select_related(
            "municipality"
        )
        self.fields["parish"].label_from_instance = lambda p: f"{p.name} ({p.municipality.name})"
        self.fields["municipality"].help_text = _("Só para «Um concelho».")
        self.fields["parish"].help_text = _("Só para «Uma freguesia».")
        if self.instance.pk:
            self.initial["contract_numbers"] = "\n".join(
                self.instance.contracts.order_by("contract_number").values_list(
                    "contract_number", flat=True
                )
            )

    def clean_contract_numbers(self):
        numbers = list(
            dict.fromkeys(re.findall(r"[^\s,;]+", self.cleaned_data["contract_numbers"]))
        )
        found = {
            contract.contract_number: contract
            for contract in Contract.objects.filter(contract_number__in=numbers)
        }
        unknown = [number for number in numbers if number not in found]
        if unknown:
            raise forms.ValidationError(
                _("Não há contratos com estes números: %(numbers)s.")
                % {"numbers": ", ".join(unknown)}
            )
        self.contracts = [found[number] for number in numbers]
        return numbers

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("audience") == Notice.Audience.CONTRACTS
            and not getattr(self, "contracts", None)
            and "contract_numbers" not in self.errors
        ):
            self.add_error("contract_numbers", _("Indique pelo menos um número de contrato."))
        return cleaned


class StateFilter(admin.SimpleListFilter):
    """The staff's queue: what customers see now, what is scheduled, what has ended."""

    title = _("estado")
    parameter_name = "estado"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Em vigor")),
            ("scheduled", _("Agendado")),
            ("ended", _("Terminado")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "current":
            return queryset.filter(starts_at__lte=now, ends_at__gt=now)
        if self.value() == "scheduled":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "ended":
            return queryset.filter(ends_at__lte=now)
        return queryset


class NoticeEventInline(admin.TabularInline):
    model = NoticeEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"
    form = NoticeAdminForm
    list_display = ["title", "audience_label", "starts_at", "ends_at", "state"]
    list_filter = [StateFilter, "audience"]
    search_fields = ["title", "text"]
    date_hierarchy = "starts_at"
    list_select_related = ["municipality", "parish"]
    inlines = [NoticeEventInline]
    actions = ["withdraw"]
    fieldsets = [
        (None, {"fields": ["title", "text", "starts_at", "ends_at"]}),
        (
            _("Destinatários"),
            {
                "fields": ["audience", "municipality", "parish", "contract_numbers"],
                "description": _("Concelho e freguesia são os da morada de consumo da instalação."),
            },
        ),
    ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new notice has no history yet

    @admin.display(description=_("Destinatários"), ordering="audience")
    def audience_label(self, notice):
        if notice.audience == Notice.Audience.MUNICIPALITY:
            return f"{notice.get_audience_display()}: {notice.municipality}"
        if notice.audience == Notice.Audience.PARISH:
            return f"{notice.get_audience_display()}: {notice.parish}"
        return notice.get_audience_display()

    @admin.display(description=_("estado"))
    def state(self, notice):
        now = timezone.now()
        if notice.starts_at > now:
            return _("Agendado")
        if notice.ends_at <= now:
            return _("Terminado")
        return _("Em vigor")

    def save_model(self, request, obj, form, change):
        services.save_notice(notice=obj, actor=request.user, changed_fields=form.changed_data)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        notice = form.instance
        if notice.audience == Notice.Audience.CONTRACTS:
            notice.contracts.set(form.contracts)
        else:
            notice.contracts.clear()

    @admin.action(description=_("Retirar agora (deixa de ser mostrado)"), permissions=["change"])
    def withdraw(self, request, queryset):
        withdrawn = sum(
            services.withdraw_notice(notice=notice, actor=request.user) for notice in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d aviso retirado.", "%(count)d avisos retirados.", withdrawn)
            % {"count": withdrawn},
            messages.SUCCESS,
        )
