"""The one shape of an event row: when, who, what, and a note (STYLE.md: every state change).

Each area's event model (SubscriptionEvent, ContractEvent, RequestEvent, ReadingEvent,
NoticeEvent, AccountEvent, MandateEvent) inherits these columns and adds the foreign key to
what the event is about, its own ``Kind`` choices (through ``kind_field``) and any extra
columns it needs. ``balcao.core.transitions.transition`` writes the events of status moves.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def kind_field(choices=None) -> models.CharField:
    """The "what" column, with the choices of the subclass that declares it."""
    return models.CharField(_("o quê"), max_length=30, choices=choices)


class Event(models.Model):
    at = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quem"),
        help_text=_("Vazio quando foi o sistema."),
    )
    kind = kind_field()
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"
