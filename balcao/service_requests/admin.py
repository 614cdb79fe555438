"""The customer service's queue of requests (group Atendimento).

Everything on a request is read-only here: the staff act through the small action pages
("Em resolução", "Responder e fechar", "Aceitar e aplicar", "Rejeitar"), which call the
same services as everything else, so no rule is bypassed by a raw edit.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from balcao.core.admin import PortugueseAdminMixin
from balcao.core.transitions import TransitionNotAllowed
from balcao.service_requests import services
from balcao.service_requests.models import RequestEvent, ServiceRequest
from balcao.service_requests.presentation import change_details, holder_name_warning

BR = mark_safe("<br>")  # noqa: S308  # nosec B308  # a constant, no user text


class StartForm(forms.Form):
    pass


class AnswerForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resposta ao cliente"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_("O cliente lê esta mensagem no pedido e recebe-a pelo canal que escolheu."),
    )


class AcceptForm(forms.Form):
    message = forms.CharField(
        label=_("Mensagem ao cliente (opcional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_("Se ficar em branco, o cliente recebe a descrição da alteração aplicada."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo da rejeição"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text=_("O cliente lê este motivo no pedido."),
    )


# action slug: (button label, form, service call, is it for this request now?, what was done)
ACTIONS = {
    "em-resolucao": (
        _("Em resolução"),
        StartForm,
        lambda sr, actor, data: services.start_resolution(service_request=sr, actor=actor),
        lambda sr: sr.can_move_to(ServiceRequest.Status.IN_PROGRESS),
        _("O pedido n.º %(number)s passou a «Em resolução»."),
    ),
    "responder": (
        _("Responder e fechar"),
        AnswerForm,
        lambda sr, actor, data: services.answer_and_close(
            service_request=sr, actor=actor, resolution=data["resolution"]
        ),
        lambda sr: sr.is_open and not sr.is_structured and not sr.is_decided_elsewhere,
        _("O pedido n.º %(number)s foi respondido e fechado."),
    ),
    "aceitar": (
        _("Aceitar e aplicar"),
        AcceptForm,
        lambda sr, actor, data: services.accept_and_apply(
            service_request=sr, actor=actor, message=data["message"]
        ),
        lambda sr: sr.is_open and sr.is_structured,
        _("O pedido n.º %(number)s foi aceite e a alteração foi aplicada."),
    ),
    "rejeitar": (
        _("Rejeitar"),
        RejectForm,
        lambda sr, actor, data: services.reject(
            service_request=sr, actor=actor, reason=data["reason"]
        ),
        lambda sr: sr.can_be_rejected,
        _("O pedido n.º %(number)s foi rejeitado."),
    ),
}


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    verbose_name_plural = _("Histórico do pedido")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    gender = "m"
    change_form_template = "service_requests/admin/change_form.html"
    list_display = [
        "number",
        "submitted_at",
        "request_type",
        "status",
        "customer",
        "contract_number",
        "channel",
        "closed_at",
    ]
    list_filter = ["status", "request_type", "outcome", "channel"]
    list_select_related = ["contract__customer", "user"]
    ordering = ["submitted_at", "number"]  # oldest first: the queue's order
    search_fields = [
        "=number",
        "contract__contract_number",
        "contract__customer__name",
        "contract__customer__nif",
        "user__username",
        "user__email",
    ]
    date_hierarchy = "submitted_at"
    inlines = [RequestEventInline]
    actions = ["mark_in_progress"]
    fieldsets = [
        (
            _("Pedido"),
            {
                "fields": [
                    "number",
                    "request_type",
                    "status",
                    "outcome",
                    "submitted_at",
                    "closed_at",
                ]
            },
        ),
        (_("Cliente e contrato"), {"fields": ["customer_details", "contract_details", "user"]}),
        (
            _("O que o cliente pediu"),
            {
                "fields": [
                    "invoice_link",
                    "description",
                    "requested_change",
                    "attachment_links",
                    "channel",
                    "contact_value",
                ]
            },
        ),
        (_("Resolução"), {"fields": ["resolution"]}),
        (_("Outros pedidos do cliente"), {"fields": ["other_requests"]}),
    ]
    readonly_fields = [
        "number",
        "request_type",
        "status",
        "outcome",
        "submitted_at",
        "closed_at",
        "customer_details",
        "contract_details",
        "user",
        "invoice_link",
        "description",
        "requested_change",
        "attachment_links",
        "channel",
        "contact_value",
        "resolution",
        "other_requests",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "user",
                "contract__customer",
                "contract__account__billing_address",
                "contract__installation__address",
                "new_address",
                "invoice",
            )
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Cliente"), ordering="contract__customer__name")
    def customer(self, obj):
        if obj.contract_id:
            return obj.contract.customer.name
        return obj.user.full_name() if obj.user else "—"

    @admin.display(description=_("Contrato"), ordering="contract__contract_number")
    def contract_number(self, obj):
        return obj.contract.contract_number if obj.contract_id else "—"

    @admin.display(description=_("Titular"))
    def customer_details(self, obj):
        if not obj.contract_id:
            return "—"
        customer = obj.contract.customer
        return format_html(
            "{} — NIF {}<br>{} · {} · {}",
            customer.name,
            customer.nif,
            customer.email or "—",
            customer.phone or "—",
            customer.mobile or "—",
        )

    @admin.display(description=_("Contrato"))
    def contract_details(self, obj):
        if not obj.contract_id:
            return _("Sem contrato (pedido geral)")
        contract = obj.contract
        account = contract.account
        return format_html(
            "{} ({}) — CIL {}, {}<br>{}: {} · {}: {} · {}: {}<br>{}: {}",
            contract.contract_number,
            contract.get_status_display(),
            contract.installation.cil,
            contract.installation.address,
            _("Conta"),
            account.account_number,
            _("Fatura eletrónica"),
            _("Ativa") if account.e_invoice else _("Inativa"),
            _("Débito direto"),
            _("Ativo") if account.direct_debit else _("Inativo"),
            _("Morada de envio das faturas"),
            account.billing_address,
        )

    @admin.display(description=_("Fatura"))
    def invoice_link(self, obj):
        """The invoice a complaint contests or a payment plan is asked for: its page in the
        back office, where «Corrigir fatura» issues the credit note a complaint may need."""
        if not obj.invoice_id:
            return "—"
        invoice = obj.invoice
        return format_html(
            '<a href="{}">{}</a> — {} € ({})',
            reverse("admin:billing_invoice_change", args=[invoice.pk]),
            invoice.number,
            invoice.gross_total,
            invoice.get_status_display(),
        )

    @admin.display(description=_("Alteração pedida"))
    def requested_change(self, obj):
        rows = change_details(obj)
        if not rows:
            return "—"
        return format_html_join(BR, "<strong>{}</strong>: {}", rows)

    @admin.display(description=_("Anexos"))
    def attachment_links(self, obj):
        attachments = list(obj.attachments.all())
        if not attachments:
            return "—"
        return format_html_join(
            BR,
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("service_requests:attachment", args=[obj.number, a.token]),
                    a.original_name,
                    a.content_type,
                )
                for a in attachments
            ),
        )

    @admin.display(description=_("Outros pedidos"))
    def other_requests(self, obj):
        others = ServiceRequest.objects.exclude(pk=obj.pk).order_by("-submitted_at")
        if obj.contract_id:
            others = others.filter(contract__customer_id=obj.contract.customer_id)
        elif obj.user_id:
            others = others.filter(user_id=obj.user_id)
        else:
            return "—"
        rows = [
            (
                reverse("admin:service_requests_servicerequest_change", args=[other.pk]),
                other.number,
                other.get_request_type_display(),
                other.get_status_display(),
                other.submitted_at.strftime("%d/%m/%Y"),
            )
            for other in others[:10]
        ]
        if not rows:
            return "—"
        return format_html_join(BR, '<a href="{}">{}</a> {} — {} ({})', rows)

    @admin.action(description=_("Passar a «Em resolução»"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        moved = 0
        for service_request in queryset.filter(status=ServiceRequest.Status.SUBMITTED):
            try:
                services.start_resolution(service_request=service_request, actor=request.user)
            except TransitionNotAllowed:  # another clerk moved it meanwhile
                continue
            moved += 1
        if not moved:
            self.message_user(
                request,
                _("Nenhum pedido mudou: só um pedido «Submetido» passa a «Em resolução»."),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d pedido passou a «Em resolução».",
                "%(count)d pedidos passaram a «Em resolução».",
                moved,
            )
            % {"count": moved},
            messages.SUCCESS,
        )

    # --- the action pages -------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/acoes/<slug:action>/",
                self.admin_site.admin_view(self.action_view),
                name="service_requests_servicerequest_action",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "holder_name_warning": holder_name_warning(obj) if obj is not None else "",
            "request_actions": (
                [
                    (slug, label)
                    for slug, (label, _form, _call, allowed, _done) in ACTIONS.items()
                    if allowed(obj)
                ]
                if obj is not None and self.has_change_permission(request, obj)
                else []
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def action_view(self, request, object_id, action):
        if action not in ACTIONS:
            raise PermissionDenied
        service_request = self.get_object(request, object_id)
        if service_request is None:
            raise Http404("No such request.")
        if not self.has_change_permission(request, service_request):
            raise PermissionDenied
        label, form_class, call, allowed, done = ACTIONS[action]
        change_url = reverse("admin:service_requests_servicerequest_change", args=[object_id])
        if not allowed(service_request):
            messages.error(request, _("Esta ação já não é possível neste pedido."))
            return redirect(change_url)
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                call(service_request, request.user, form.cleaned_data)
            except services.RequestActionError as error:
                messages.error(request, str(error))
                return redirect(change_url)
            except TransitionNotAllowed:
                # The page was stale: another clerk (or a double click) moved the request.
                service_request.refresh_from_db(fields=["status"])
                messages.error(
                    request,
                    _("O pedido n.º %(number)s está %(status)s: esta ação já não é possível.")
                    % {
                        "number": service_request.number,
                        "status": service_request.get_status_display().lower(),
                    },
                )
                return redirect(change_url)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done % {"number": service_request.number})
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{label} — {service_request}",
            "service_request": service_request,
            "details": change_details(service_request),
            "holder_name_warning": holder_name_warning(service_request),
            "form": form,
            "action_label": label,
            "change_url": change_url,
        }
        return TemplateResponse(request, "service_requests/admin/action.html", context)
