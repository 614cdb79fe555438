"""What the files received from outside share (the Multibanco network's notification files,
the bank's answers to the direct debit files): each is kept as it came, imported once (its
SHA-256 says so) in the background, and says who sent it in, when, and how it went."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceivedFile(models.Model):
    """One import of a received file; subclasses add its ``content`` (where it is kept), its
    counters and its events (``EVENTS``)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Em fila")
        RUNNING = "running", _("Em curso")
        DONE = "done", _("Importado")
        FAILED = "failed", _("Falhou")

    # Moved by balcao.core.transitions.transition, which writes the subclass's event.
    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.DONE: set(),
        Status.FAILED: set(),
    }
    EVENTS = "events"

    name = models.CharField(_("Ficheiro"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("Erro"), blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("importado por"),
    )
    created_at = models.DateTimeField(_("recebido em"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminado em"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


def imported_once(name: str) -> models.UniqueConstraint:
    """The same file is imported once; a failed import may be tried again."""
    return models.UniqueConstraint(
        fields=["sha256"], condition=~models.Q(status="failed"), name=name
    )
