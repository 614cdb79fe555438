"""The queue of subscriptions to evaluate: the user's data beside the utility's, and the decisions.

Every decision goes through balcao.contracts.services, so the admin never bypasses a
rule: the fields a service owns are read-only here.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balcao.contracts import selectors, services
from balcao.contracts.forms import AddContractForm, ApproveForm, RejectForm
from balcao.contracts.models import (
    Contract,
    Letter,
    Subscription,
    SubscriptionEvent,
)
from balcao.core.admin import PortugueseAdminMixin, ReadOnlyInline


class SubscriptionEventInline(ReadOnlyInline):
    model = SubscriptionEvent
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    verbose_name_plural = gettext_lazy("Histórico")


class LetterInline(ReadOnlyInline):
    model = Letter
    fields = ["recipient_name", "created_at", "printed_at", "printed_by"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups


@admin.register(Subscription)
class SubscriptionAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """The queue: "Em avaliação" oldest first, the user's data beside the utility's."""

    gender = "f"

    list_display = [
        "created_at",
        "user",
        "custom_name",
        "cil",
        "customer_number",
        "account_number",
        "status",
        "activation_channel",
        "contract",
    ]
    list_filter = ["status", "activation_channel"]
    list_select_related = ["user", "contract"]
    search_fields = [
        "user__username",
        "user__email",
        "cil",
        "customer_number",
        "account_number",
        "contract__contract_number",
    ]
    ordering = ["created_at", "pk"]
    date_hierarchy = "created_at"
    actions = ["approve_action", "reject_action"]
    inlines = [SubscriptionEventInline, LetterInline]
    change_form_template = "contracts/admin/subscription_change_form.html"
    fieldsets = [
        (
            gettext_lazy("O que o utilizador pediu"),
            {
                "fields": [
                    "user",
                    "user_details",
                    "product_label",
                    "cil",
                    "customer_number",
                    "account_number",
                    "custom_name",
                    "created_at",
                ]
            },
        ),
        (gettext_lazy("Contratos com algum destes números"), {"fields": ["candidates"]}),
        (
            gettext_lazy("Estado"),
            {
                "fields": [
                    "status",
                    "contract",
                    "activation_channel",
                    "failed_code_attempts",
                    "activated_at",
                    "rejection_reason",
                    "reference",
                ]
            },
        ),
    ]
    readonly_fields = [
        "user",
        "user_details",
        "product_label",
        "cil",
        "customer_number",
        "account_number",
        "custom_name",
        "created_at",
        "candidates",
        "status",
        "contract",
        "activation_channel",
        "failed_code_attempts",
        "activated_at",
        "rejection_reason",
        "reference",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Produto contratado"))
    def product_label(self, obj):
        # Subscriptions of the old portal name a contract's plan ("water").
        labels = {**dict(Contract.Product.choices), **dict(AddContractForm.PRODUCT_CHOICES)}
        return labels.get(obj.product, obj.product)

    @admin.display(description=gettext_lazy("Dados do utilizador"))
    def user_details(self, obj):
        user = obj.user
        confirmed = _("confirmado") if user.email_confirmed_at else _("não confirmado")
        return format_html(
            "{} · NIF {} · {} ({}) · {}",
            user.full_name() or user.username,
            user.nif or "—",
            user.email or "—",
            confirmed,
            user.phone or user.mobile or "—",
        )

    @admin.display(description=gettext_lazy("Contratos"))
    def candidates(self, obj):
        rows = []
        for contract in selectors.candidate_contracts(obj):
            customer = contract.customer
            rows.append(
                (
                    contract.contract_number,
                    _mark(contract.installation.cil, obj.cil),
                    _mark(customer.customer_number, obj.customer_number),
                    _mark(contract.account.account_number, obj.account_number),
                    customer.name,
                    customer.nif,
                    customer.email or "—",
                    str(customer.correspondence_address),
                    contract.get_status_display(),
                )
            )
        if not rows:
            return _("Nenhum contrato tem algum destes números.")
        head = [
            _("Contrato"),
            _("CIL"),
            _("Cliente"),
            _("Conta"),
            _("Titular"),
            _("NIF"),
            _("E-mail"),
            _("Morada de correspondência"),
            _("Estado"),
        ]
        return format_html(
            "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            format_html_join("", '<th scope="col">{}</th>', ((h,) for h in head)),
            format_html_join(
                "",
                "<tr>{}</tr>",
                ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
            ),
        )

    # --- Actions and the two small views that make the decisions ---------------------------

    @admin.action(description=gettext_lazy("Aprovar e enviar código"), permissions=["change"])
    def approve_action(self, request, queryset):
        return self._one_for(request, queryset, "approve")

    @admin.action(description=gettext_lazy("Rejeitar"), permissions=["change"])
    def reject_action(self, request, queryset):
        return self._one_for(request, queryset, "reject")

    def _one_for(self, request, queryset, view):
        chosen = list(queryset.filter(status=Subscription.Status.EVALUATING)[:2])
        if len(chosen) != 1:
            self.message_user(
                request,
                _("Escolha uma (e só uma) subscrição em avaliação."),
                level=messages.WARNING,
            )
            return None
        return HttpResponseRedirect(
            reverse(f"admin:contracts_subscription_{view}", args=[chosen[0].pk])
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/aprovar/",
                self.admin_site.admin_view(self.approve_view),
                name="contracts_subscription_approve",
            ),
            path(
                "<int:pk>/rejeitar/",
                self.admin_site.admin_view(self.reject_view),
                name="contracts_subscription_reject",
            ),
        ]
        return own + super().get_urls()

    def _decision_target(self, request, pk):
        subscription = get_object_or_404(
            Subscription.objects.select_related("user", "contract"), pk=pk
        )
        if not self.has_change_permission(request, subscription):
            raise PermissionDenied
        return subscription

    def _render_decision(self, request, subscription, form, title, button):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": subscription,
            "subscription": subscription,
            "candidates": self.candidates(subscription),
            "form": form,
            "title": title,
            "button": button,
        }
        return TemplateResponse(request, "contracts/admin/decision.html", context)

    def approve_view(self, request, pk):
        subscription = self._decision_target(request, pk)
        match = selectors.matching_contract(
            cil=subscription.cil,
            customer_number=subscription.customer_number,
            account_number=subscription.account_number,
        )
        initial = {"contract_number": match.contract_number} if match else {}
        form = ApproveForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.approve_subscription(
                    subscription=subscription, contract=form.contract, clerk=request.user
                )
            except services.SubscriptionRuleError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("Subscrição aprovada: o código de ativação segue por %(channel)s.")
                    % {"channel": subscription.get_activation_channel_display().lower()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:contracts_subscription_change", args=[subscription.pk])
                )
        return self._render_decision(
            request, subscription, form, _("Aprovar e enviar código"), _("Aprovar e enviar código")
        )

    def reject_view(self, request, pk):
        subscription = self._decision_target(request, pk)
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.reject_subscription(
                    subscription=subscription,
                    reason=form.cleaned_data["reason"],
                    clerk=request.user,
                )
            except services.SubscriptionRuleError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(request, _("Subscrição rejeitada."), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:contracts_subscription_change", args=[subscription.pk])
                )
        return self._render_decision(request, subscription, form, _("Rejeitar"), _("Rejeitar"))


def _mark(value, typed):
    """A number, in bold when it is the one the user typed."""
    if value.casefold() == typed.casefold():
        return format_html("<strong>{} ✓</strong>", value)
    return value
