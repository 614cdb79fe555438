"""Notices the utility publishes to its customers ("Notificações", manual 6.1 ii).

A notice has a validity window and an audience: everyone, the contracts supplied in
one municipality or one parish (through the installation's address), or contracts
chosen one by one. A customer may dismiss a notice; it stays hidden for them only.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field


class Notice(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Todos os clientes")
        MUNICIPALITY = "municipality", _("Um concelho")
        PARISH = "parish", _("Uma freguesia")
        CONTRACTS = "contracts", _("Contratos indicados")

    # The URL's identifier: a notice's primary key is never in a link.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("Título"), max_length=120)
    text = models.TextField(_("Texto"))
    starts_at = models.DateTimeField(_("Início da divulgação"), help_text=_("Visível a partir de."))
    ends_at = models.DateTimeField(_("Fim da divulgação"), help_text=_("Visível até (exclusive)."))
    audience = models.CharField(
        _("Destinatários"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Concelho"),
    )
    parish = models.ForeignKey(
        "core.Parish",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Freguesia"),
    )
    contracts = models.ManyToManyField(
        "contracts.Contract", blank=True, related_name="+", verbose_name=_("Contratos")
    )
    created_at = models.DateTimeField(_("criado em"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="notice_window_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="notice_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="municipality") | models.Q(municipality__isnull=False),
                name="notice_municipality_audience_has_municipality",
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="parish") | models.Q(parish__isnull=False),
                name="notice_parish_audience_has_parish",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("O fim tem de ser depois do início.")
        if self.audience == self.Audience.MUNICIPALITY and not self.municipality_id:
            errors["municipality"] = _("Escolha o concelho a que o aviso se destina.")
        if self.audience == self.Audience.PARISH and not self.parish_id:
            errors["parish"] = _("Escolha a freguesia a que o aviso se destina.")
        if errors:
            raise ValidationError(errors)


class NoticeEvent(Event):
    """What staff did to a notice, when, and who (published, changed, withdrawn)."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Publicado")
        CHANGED = "changed", _("Alterado")
        WITHDRAWN = "withdrawn", _("Retirado")

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="events", verbose_name=_("aviso")
    )
    kind = kind_field(Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento do aviso")
        verbose_name_plural = _("eventos dos avisos")


class NoticeDismissal(models.Model):
    """A customer's "Dispensar": the notice is no longer shown to that user."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="dismissals", verbose_name=_("aviso")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_dismissals",
        verbose_name=_("utilizador"),
    )
    dismissed_at = models.DateTimeField(_("dispensado em"), default=timezone.now)

    class Meta:
        verbose_name = _("aviso dispensado")
        verbose_name_plural = _("avisos dispensados")
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="one_dismissal_per_user_notice")
        ]

    def __str__(self):
        return f"{self.user} — {self.notice}"
