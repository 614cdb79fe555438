"""What the utility told a customer about an unpaid invoice (issue 13): the reminder e-mail
at due + 8 days and the written cut-off warning ("Aviso de interrupção do fornecimento",
Lei 23/96 art. 5) at due + 30 days, with the earliest cut-off date it printed.

One row per reminder or warning, so each goes once: a reminder of an invoice (or of one
instalment of its payment plan) and a warning of an invoice are unique.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field


class WarningRun(models.Model):
    """One run of "Gerar avisos de interrupção" started in the admin: the warnings of the
    invoices unpaid at due + 30 days, as one PDF letter run; counters show the progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Em fila")
        RUNNING = "running", _("Em curso")
        DONE = "done", _("Concluída")
        FAILED = "failed", _("Interrompida")

    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.DONE: set(),
        Status.FAILED: set(),
    }
    EVENTS = "events"

    warning_date = models.DateField(_("Data dos avisos"))
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("Faturas a avisar"), default=0)
    done = models.PositiveIntegerField(_("Avisos gerados"), default=0)
    errors = models.TextField(_("Erros"), blank=True)
    pdf = models.FileField(_("PDF para imprimir"), upload_to="warnings/%Y/%m/", blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("iniciada por"),
    )
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminada em"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("emissão de avisos de interrupção")
        verbose_name_plural = _("emissões de avisos de interrupção")

    def __str__(self):
        return f"{self.warning_date:%d/%m/%Y}" if self.warning_date else str(self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WarningRunEvent(Event):
    warning_run = models.ForeignKey(
        WarningRun,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("emissão de avisos"),
    )
    kind = kind_field(WarningRun.Status.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento da emissão de avisos")
        verbose_name_plural = _("eventos das emissões de avisos")


class DunningNotice(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Lembrete de pagamento")
        WARNING = "warning", _("Aviso de interrupção do fornecimento")

    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="dunning_notices",
        verbose_name=_("fatura"),
    )
    instalment = models.ForeignKey(
        "payments.Instalment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("prestação"),
    )
    kind = models.CharField(_("Tipo"), max_length=10, choices=Kind.choices)
    sent_on = models.DateField(_("Data"))
    # The warning's earliest cut-off date, as printed (≥ 20 days after the warning).
    cut_off_date = models.DateField(_("Interrupção possível a partir de"), null=True, blank=True)
    amount = models.DecimalField(_("Montante em dívida"), max_digits=12, decimal_places=2)
    email = models.EmailField(_("Enviado para"), blank=True)
    warning_run = models.ForeignKey(
        WarningRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("emissão de avisos"),
    )
    created_at = models.DateTimeField(_("registado em"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("lembrete ou aviso")
        verbose_name_plural = _("lembretes e avisos")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "kind"],
                condition=models.Q(instalment__isnull=True),
                name="dunning_once_per_invoice",
            ),
            models.UniqueConstraint(
                fields=["instalment", "kind"],
                condition=models.Q(instalment__isnull=False),
                name="dunning_once_per_instalment",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="reminder", cut_off_date__isnull=True)
                | models.Q(kind="warning", cut_off_date__isnull=False),
                name="dunning_warning_has_cut_off",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.invoice} ({self.sent_on:%d/%m/%Y})"
