"""The billing run (one month, all active contracts or one municipality's) and the record of
which estimated invoice each acerto corrected."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field


class BillingRun(models.Model):
    """One run of ``run_billing`` (from the command or the admin): what it was asked and how
    far it got. Counters are written every batch, so the admin page shows progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Em fila")
        RUNNING = "running", _("Em curso")
        DONE = "done", _("Concluída")
        FAILED = "failed", _("Interrompida")

    # Moved by balcao.core.transitions.transition, which writes the BillingRunEvent.
    TRANSITIONS = {
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.DONE: set(),
        Status.FAILED: set(),
    }
    EVENTS = "events"

    period = models.DateField(_("Mês faturado"), help_text=_("O primeiro dia do mês."))
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concelho"),
        help_text=_("Vazio: todos os concelhos."),
    )
    issue_date = models.DateField(_("Data de emissão"))
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("Contratos a faturar"), default=0)
    seen = models.PositiveIntegerField(_("Contratos vistos"), default=0)
    issued = models.PositiveIntegerField(_("Faturas emitidas"), default=0)
    skipped = models.PositiveIntegerField(_("Já faturados"), default=0)
    failed = models.PositiveIntegerField(_("Falhas"), default=0)
    errors = models.TextField(_("Erros"), blank=True)
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
        verbose_name = _("faturação mensal")
        verbose_name_plural = _("faturações mensais")

    def __str__(self):
        if self.period is None:
            return str(self.pk)
        where = f" {self.municipality}" if self.municipality_id else ""
        return f"{self.period:%Y-%m}{where}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class BillingRunEvent(Event):
    billing_run = models.ForeignKey(
        BillingRun, on_delete=models.CASCADE, related_name="events", verbose_name=_("faturação")
    )
    kind = kind_field(BillingRun.Status.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento da faturação mensal")
        verbose_name_plural = _("eventos das faturações mensais")


class EstimateAdjustment(models.Model):
    """An estimated invoice corrected ("acerto") by a later invoice once real readings
    covered its period: the volume it billed, the real one, and the net amount the later
    invoice added (negative: returned). ``prescribed``: the extra consumption was older than
    6 months and was not charged (Lei 23/96 art. 10). An acerto whose invoice is cancelled
    by a credit note no longer counts: the corrected invoice carries it again."""

    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="adjustments",
        verbose_name=_("fatura com o acerto"),
    )
    estimated_invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="adjusted_by",
        verbose_name=_("fatura estimada"),
    )
    billed_volume = models.DecimalField(_("Faturado (m³)"), max_digits=10, decimal_places=3)
    real_volume = models.DecimalField(_("Real (m³)"), max_digits=10, decimal_places=3)
    amount = models.DecimalField(_("Valor do acerto sem IVA"), max_digits=12, decimal_places=2)
    prescribed = models.BooleanField(_("Prescrito"), default=False)

    class Meta:
        ordering = ["invoice", "estimated_invoice__period_start"]
        verbose_name = _("acerto de estimativa")
        verbose_name_plural = _("acertos de estimativas")

    def __str__(self):
        return f"{self.invoice_id} → {self.estimated_invoice_id}"
