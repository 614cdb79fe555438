"""Back office for accounts: who is registered, confirmed, legacy; what happened to a login."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from balcao.accounts.models import AccountEvent, User
from balcao.core.admin import PortugueseAdminMixin, yes_no
from balcao.core.redirects import safe_next_url


class AccountEventInline(admin.TabularInline):
    model = AccountEvent
    fk_name = "user"
    fields = ["at", "kind", "device", "note"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; django-stubs: groups
    extra = 0
    can_delete = False
    ordering = ["-at"]
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False


class EmailConfirmedFilter(admin.SimpleListFilter):
    title = _("e-mail confirmado")
    parameter_name = "confirmado"

    def lookups(self, request, model_admin):
        return [("sim", _("Sim")), ("nao", _("Não"))]

    def queryset(self, request, queryset):
        if self.value() == "sim":
            return queryset.filter(email_confirmed_at__isnull=False)
        if self.value() == "nao":
            return queryset.filter(email_confirmed_at__isnull=True)
        return queryset


class StaffFilter(admin.BooleanFieldListFilter):
    """Django's title for is_staff is "status de equipa"; the staff call themselves this."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("pessoal dos serviços")


@admin.register(User)
class UserAdmin(PortugueseAdminMixin, DjangoUserAdmin):
    gender = "m"
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "nif",
        "legacy",
        "staff",
    ]
    list_filter = [
        EmailConfirmedFilter,
        "is_legacy",
        ("is_staff", StaffFilter),
        "is_active",
        "groups",
    ]
    search_fields = ["username", "email", "first_name", "last_name", "nif"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Dados do titular"),
            {"fields": ["first_name", "last_name", "nif", "email", "phone", "mobile", "language"]},
        ),
        (
            _("Registo"),
            {
                "fields": [
                    "email_confirmed_at",
                    "legacy",
                    "terms_version",
                    "terms_accepted_at",
                    "date_joined",
                    "last_login",
                ]
            },
        ),
        (
            _("Permissões"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
    ]
    # Set by the registration, confirmation and login services, never by hand.
    readonly_fields = [
        "email_confirmed_at",
        "legacy",
        "terms_version",
        "terms_accepted_at",
        "date_joined",
        "last_login",
    ]
    inlines = [AccountEventInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only, a yes/no is an icon whose text must be Portuguese (Django's says "True").
        shown = {"is_active": "active", "is_staff": "staff", "is_superuser": "superuser"}
        return [
            (name, {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["labels"] = {
            "is_staff": _("Pessoal dos serviços"),
            "is_superuser": _("Administrador"),
        }
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("Conta do portal antigo"), ordering="is_legacy")
    def legacy(self, user):
        return yes_no(user.is_legacy)

    @admin.display(description=_("Ativo"))
    def active(self, user):
        return yes_no(user.is_active)

    @admin.display(description=_("Pessoal dos serviços"), ordering="is_staff")
    def staff(self, user):
        return yes_no(user.is_staff)

    @admin.display(description=_("Administrador"))
    def superuser(self, user):
        return yes_no(user.is_superuser)


@login_not_required
def login_through_the_portal(request, extra_context=None):
    """Staff sign in on the portal's own login page: one throttle, one two-factor step.

    Replaces the admin's login form. A signed-in user who is not staff is refused (403)
    rather than sent back to a login page that would send them here again.
    """
    target = safe_next_url(request, "admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        raise PermissionDenied
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


admin.site.login = login_through_the_portal  # type: ignore[method-assign]  # on purpose
