"""Meter readings (manual 6.3; DOMAIN.md "Meter readings"; Decreto-Lei 194/2009 art. 67).

A reading is what a meter showed on a day: read by the customer in the portal, by
the utility's reader (company reading), or estimated by the billing run. A customer
reading gets a receipt number and a life-cycle that the customer sees:
"Recebida" → "Validada para faturação" / "Apenas para histórico (motivo)" →
"Usada na fatura FT …".
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field


class Reading(models.Model):
    class Origin(models.TextChoices):
        CUSTOMER = "customer", _("Cliente")
        COMPANY = "company", _("SMAS")
        ESTIMATE = "estimate", _("Estimativa")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Recebida")
        BILLABLE = "billable", _("Validada para faturação")
        HISTORY = "history", _("Apenas para histórico")
        INVOICED = "invoiced", _("Usada na fatura")

    class HistoryReason(models.TextChoices):
        OUTSIDE_WINDOW = "outside_window", _("comunicada fora do período de leitura")
        COMPANY_READING = "company_reading", _("existe leitura dos SMAS nesse período")
        REPLACED = "replaced", _("substituída por uma leitura posterior no mesmo período")

    # The one place where a reading's status may move (STYLE.md).
    TRANSITIONS = {
        Status.RECEIVED: {Status.BILLABLE, Status.HISTORY},
        Status.BILLABLE: {Status.HISTORY, Status.INVOICED},
        Status.HISTORY: set(),
        Status.INVOICED: set(),
    }
    EVENTS = "events"
    # Statuses of a reading that billing may rely on.
    VALID_STATUSES = (Status.BILLABLE, Status.INVOICED)

    installation = models.ForeignKey(
        "contracts.Installation",
        on_delete=models.PROTECT,
        related_name="readings",
        verbose_name=_("instalação"),
    )
    meter = models.ForeignKey(
        "contracts.Meter",
        on_delete=models.PROTECT,
        related_name="readings",
        verbose_name=_("contador"),
    )
    taken_on = models.DateField(_("Data da leitura"))
    index = models.PositiveIntegerField(_("Leitura (m³)"))
    origin = models.CharField(_("Origem"), max_length=10, choices=Origin.choices)
    status = models.CharField(
        _("Estado"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    history_reason = models.CharField(
        _("Motivo"), max_length=20, choices=HistoryReason.choices, blank=True
    )
    invoice_number = models.CharField(
        _("Fatura"), max_length=30, blank=True, help_text=_("Preenchido pela faturação.")
    )
    receipt_number = models.CharField(
        _("Comprovativo n.º"), max_length=20, unique=True, null=True, blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comunicada por"),
    )
    reader = models.CharField(_("Leitor"), max_length=100, blank=True)
    # A form sent twice (double click, reload) carries the same key: one reading.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registada em"), auto_now_add=True)

    class Meta:
        ordering = ["installation", "taken_on", "created_at", "pk"]
        verbose_name = _("leitura")
        verbose_name_plural = _("leituras")
        indexes = [
            models.Index(fields=["installation", "taken_on"], name="reading_inst_date_idx"),
            # The readings waiting for validation (the admin's "Trabalho do dia" and its
            # list): a few rows among millions. Partial, so that no plan can pick it for the
            # billable and invoiced readings, nearly all the table (an index on the status
            # alone was chosen with stale statistics and cost 15 ms per history page).
            models.Index(
                fields=["taken_on"],
                condition=models.Q(status="received"),
                name="reading_received_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="reading_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="history") | ~models.Q(history_reason=""),
                name="reading_history_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.taken_on:%d/%m/%Y} — {self.index} m³ ({self.get_origin_display()})"

    @property
    def is_real(self) -> bool:
        return self.origin != self.Origin.ESTIMATE

    @property
    def status_label(self) -> str:
        """The life-cycle step as the customer reads it, with its reason or invoice.

        An estimate is never shown as a validated reading (DOMAIN.md): "Estimativa".
        """
        if not self.is_real:
            if self.status == self.Status.INVOICED and self.invoice_number:
                return _("Estimativa usada na fatura %(invoice)s") % {
                    "invoice": self.invoice_number
                }
            return str(self.Origin.ESTIMATE.label)
        if self.status == self.Status.HISTORY and self.history_reason:
            return f"{self.get_status_display()} ({self.get_history_reason_display()})"
        if self.status == self.Status.INVOICED and self.invoice_number:
            return f"{self.get_status_display()} {self.invoice_number}"
        return str(self.get_status_display())


class ReadingEvent(Event):
    """One row per status change of a reading: when, who, to what (its kind is the status)."""

    reading = models.ForeignKey(
        Reading, on_delete=models.CASCADE, related_name="events", verbose_name=_("leitura")
    )
    kind = kind_field(Reading.Status.choices)

    class Meta(Event.Meta):
        ordering = ["reading", "at", "pk"]
        verbose_name = _("evento de leitura")
        verbose_name_plural = _("eventos de leituras")


class ReadingReminderPreference(models.Model):
    """The customer's switch for the e-mail that says a reading window opened."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reading_reminder_preference",
        verbose_name=_("utilizador"),
    )
    enabled = models.BooleanField(_("Lembrete por e-mail"), default=False)
    updated_at = models.DateTimeField(_("alterado em"), auto_now=True)

    class Meta:
        verbose_name = _("preferência de lembrete de leitura")
        verbose_name_plural = _("preferências de lembrete de leitura")

    def __str__(self):
        return f"{self.user_id}: {self.enabled}"


class ReadingReminder(models.Model):
    """A reminder sent: at most one per user, installation and window (cron may run twice)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("utilizador"),
    )
    installation = models.ForeignKey(
        "contracts.Installation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("instalação"),
    )
    window_start = models.DateField(_("início do período"))
    sent_at = models.DateTimeField(_("enviado em"), auto_now_add=True)

    class Meta:
        verbose_name = _("lembrete de leitura enviado")
        verbose_name_plural = _("lembretes de leitura enviados")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "installation", "window_start"], name="one_reminder_per_window"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.installation_id} {self.window_start}"
