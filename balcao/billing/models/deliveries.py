"""How each invoice and credit note reaches its customer (issue 13, "Delivering invoices"): by
e-mail for an e-invoice account, on paper otherwise, and the staff's print runs of the paper
ones.

The invoice itself never changes once issued, so its delivery is a row of its own,
written in the invoice's transaction (``services.deliveries.record_deliveries``): an
invoice that exists has its delivery recorded, and a delivery that a crash left unsent is
found again by ``manage.py send_pending_invoice_emails``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceDelivery(models.Model):
    """One document's delivery (an invoice or a credit note): the channel and address as they
    were at issue, and how the sending went (attempts, the last error, when it was sent or
    printed, or why it never will be)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail (fatura eletrónica)")
        PAPER = "paper", _("Papel (correio)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Por enviar")
        SENT = "sent", _("Enviada")
        # The last attempt failed: retried at next_attempt_at, or never again (empty)
        # once MAX_ATTEMPTS are spent.
        FAILED = "failed", _("Falhou")
        # The invoice was cancelled by a credit note before it went out: it never will
        # (the note says which credit note); the customer gets the credit note instead.
        WITHDRAWN = "withdrawn", _("Não enviada")

    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("fatura"),
    )
    channel = models.CharField(_("Canal"), max_length=10, choices=Channel.choices)
    to_address = models.TextField(
        _("Destinatário"), help_text=_("O e-mail, ou a morada de envio, à data da emissão.")
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Tentativas"), default=0)
    # When the next attempt may start; also the lease of an attempt in progress (an attempt
    # moves it forward before sending, so two workers never send the same message).
    next_attempt_at = models.DateTimeField(_("Próxima tentativa"), null=True, blank=True)
    last_error = models.CharField(_("Último erro"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("Enviada em"), null=True, blank=True)
    note = models.CharField(
        _("Nota"), max_length=300, blank=True, help_text=_("Porque não foi enviada.")
    )
    print_run = models.ForeignKey(
        "billing.InvoicePrintRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("impressão"),
    )
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("envio de fatura")
        verbose_name_plural = _("envios de faturas")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "channel"], name="one_delivery_per_channel")
        ]
        indexes = [
            models.Index(fields=["channel", "status", "next_attempt_at"], name="delivery_queue_idx")
        ]

    def __str__(self):
        return f"{self.invoice_id} {self.channel}"


class InvoicePrintRun(models.Model):
    """ "Imprimir faturas": one month's paper invoices in one PDF, made in the background;
    its page shows how far it got and then offers the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Em fila")
        RUNNING = "running", _("Em curso")
        DONE = "done", _("Concluída")
        FAILED = "failed", _("Interrompida")

    month = models.DateField(_("Mês de emissão"), help_text=_("O primeiro dia do mês."))
    include_sent = models.BooleanField(
        _("Incluir as já impressas"),
        default=False,
        help_text=_("Volta a imprimir as faturas do mês que já foram enviadas em papel."),
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("Faturas a imprimir"), default=0)
    done = models.PositiveIntegerField(_("Faturas impressas"), default=0)
    pages = models.PositiveIntegerField(_("Páginas"), default=0)
    file = models.CharField(_("Ficheiro"), max_length=200, blank=True)
    error = models.TextField(_("Erro"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pedida por"),
    )
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminada em"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("impressão de faturas")
        verbose_name_plural = _("impressões de faturas")

    def __str__(self):
        return f"{self.month:%Y-%m}" if self.month else str(self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
