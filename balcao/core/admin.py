"""What every screen of the back office shares: messages and yes/no in correct Portuguese.

Django's own admin speaks a generic Portuguese that agrees with masculine nouns only
(«O leitura "…" foi adicionado») and leaves some words in English ("View %s", an icon's
"True"). Each of our ModelAdmins takes PortugueseAdminMixin and says its noun's gender.
"""

from django.contrib import admin, messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# (gender, what happened) -> the sentence; the noun is the model's verbose_name.
SAVED_MESSAGES = {
    ("m", "added"): gettext_lazy("O %(name)s «%(obj)s» foi adicionado."),
    ("f", "added"): gettext_lazy("A %(name)s «%(obj)s» foi adicionada."),
    ("m", "changed"): gettext_lazy("O %(name)s «%(obj)s» foi alterado."),
    ("f", "changed"): gettext_lazy("A %(name)s «%(obj)s» foi alterada."),
    ("m", "deleted"): gettext_lazy("O %(name)s «%(obj)s» foi removido."),
    ("f", "deleted"): gettext_lazy("A %(name)s «%(obj)s» foi removida."),
}


class PortugueseAdminMixin:
    """Replaces Django's add/change/delete messages and the "View %s" title with our own.

    `gender` is the grammatical gender of the model's verbose_name: "m" or "f".
    """

    gender: str = ""

    def response_add(self, request, obj, post_url_continue=None):
        request._saved_for_message = ("added", str(obj))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        request._saved_for_message = ("changed", str(obj))
        return super().response_change(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        request._saved_for_message = ("deleted", str(obj_display))
        return super().response_delete(request, obj_display, obj_id)

    def message_user(
        self, request, message, level=messages.INFO, extra_tags="", fail_silently=False
    ):
        # Django's response_* send exactly one success message: ours takes its place.
        saved = getattr(request, "_saved_for_message", None)
        if saved is not None and level == messages.SUCCESS:
            del request._saved_for_message
            what, obj = saved
            message = SAVED_MESSAGES[(self.gender, what)] % {
                "name": self.model._meta.verbose_name,
                "obj": obj,
            }
        return super().message_user(request, message, level, extra_tags, fail_silently)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and not self.has_change_permission(request, obj):
            context["title"] = _("Ver %(name)s") % {"name": self.model._meta.verbose_name}
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )


def yes_no(value):
    """Django's yes/no icon, whose text alternative is "Sim"/"Não" rather than "True"."""
    icon, text = {True: ("yes", _("Sim")), False: ("no", _("Não"))}.get(
        value, ("unknown", _("Sem informação"))
    )
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


def progress_link(obj, text: str) -> str:
    """A background job's progress in a list or on its page ("12 de 40 faturas (Em curso).")
    with "Atualizar": a link to the job's own page, which shows how far it got."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('{} <a href="{}">{}</a>', text, url, _("Atualizar"))


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent and changed by none: every field read-only (the
    services write them), nothing added or deleted here."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields or self.fields or ()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    """A record's history: its events (balcao.core.events), newest last."""

    fields = ["at", "kind", "actor", "note"]
