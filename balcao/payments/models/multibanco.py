"""Multibanco notification files and their lines (docs/payments.md "Multibanco").

A ``MultibancoFile`` is one file of the payment network, imported once (its SHA-256 and its
transaction ids say so): who imported it, when, and what came of its lines. Every line of
it is a ``MultibancoLine``, kept as read: matched to an open invoice (its ``Payment`` and
receipt registered), or queued for a clerk ("Pagamentos por conciliar") with the reason it
could not be matched, until the clerk matches it by hand or refunds it. A line is never
dropped; a line whose transaction id was already imported (another file) is counted, not
stored twice.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field
from balcao.payments.models.received_files import ReceivedFile, imported_once


class MultibancoFile(ReceivedFile):
    """One import of a notification file, from ``import_payments`` or the admin upload."""

    # The file as received, kept: what the network said is the evidence of every payment.
    content = models.FileField(_("Conteúdo"), upload_to="multibanco/%Y/%m/")
    lines_read = models.PositiveIntegerField(_("Linhas lidas"), default=0)
    matched = models.PositiveIntegerField(_("Conciliadas"), default=0)
    queued = models.PositiveIntegerField(_("Por conciliar"), default=0)
    already_imported = models.PositiveIntegerField(_("Já importadas"), default=0)

    class Meta(ReceivedFile.Meta):
        verbose_name = _("ficheiro Multibanco")
        verbose_name_plural = _("ficheiros Multibanco")
        constraints = [imported_once("multibanco_file_once")]


class MultibancoFileEvent(Event):
    file = models.ForeignKey(
        MultibancoFile,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("ficheiro Multibanco"),
    )
    kind = kind_field(MultibancoFile.Status.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento do ficheiro Multibanco")
        verbose_name_plural = _("eventos dos ficheiros Multibanco")


class QueueReason(models.TextChoices):
    """Why a line was not matched: the kinds of "Pagamentos por conciliar"."""

    NO_MATCH = "no_match", _("Sem fatura correspondente")
    PAID = "paid", _("Fatura já paga")
    OTHER_AMOUNT = "other_amount", _("Montante diferente do da fatura")
    AMBIGUOUS = "ambiguous", _("Referência de mais de uma fatura")
    INVALID = "invalid", _("Entidade, referência ou linha inválida")


class MultibancoLine(models.Model):
    """One line of a notification file, kept as read, and what became of it."""

    class Status(models.TextChoices):
        MATCHED = "matched", _("Conciliado")
        QUEUED = "queued", _("Por conciliar")
        MATCHED_BY_HAND = "matched_by_hand", _("Conciliado à mão")
        REFUNDED = "refunded", _("Reembolsado")

    # Moved by balcao.core.transitions.transition (a clerk's resolution), which writes the
    # MultibancoLineEvent; a line is written by the import already matched or queued.
    TRANSITIONS = {
        Status.QUEUED: {Status.MATCHED_BY_HAND, Status.REFUNDED},
        Status.MATCHED: set(),
        Status.MATCHED_BY_HAND: set(),
        Status.REFUNDED: set(),
    }
    EVENTS = "events"
    Reason = QueueReason

    file = models.ForeignKey(
        MultibancoFile,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("ficheiro Multibanco"),
    )
    line_number = models.PositiveIntegerField(_("Linha"))
    raw = models.CharField(_("Texto da linha"), max_length=500)
    entity = models.CharField(_("Entidade"), max_length=10, blank=True)
    reference = models.CharField(_("Referência"), max_length=20, blank=True)
    amount = models.DecimalField(
        _("Montante"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_at = models.DateTimeField(_("Data do pagamento"), null=True, blank=True)
    terminal = models.CharField(_("Terminal"), max_length=40, blank=True)
    transaction_id = models.CharField(_("Identificador da transação"), max_length=80, blank=True)
    status = models.CharField(_("estado"), max_length=20, choices=Status.choices)
    reason = models.CharField(_("Motivo"), max_length=20, choices=QueueReason.choices, blank=True)
    detail = models.CharField(_("Pormenor"), max_length=300, blank=True)
    # The account the line is about, when known: the matched invoice's, or the invoice the
    # reference names (paid, other amount): the clerk starts from it.
    account = models.ForeignKey(
        "contracts.BillingAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conta de faturação"),
    )
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fatura"),
    )
    payment = models.OneToOneField(
        "payments.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="multibanco_line",
        verbose_name=_("pagamento"),
    )

    class Meta:
        ordering = ["file", "line_number"]
        verbose_name = _("linha Multibanco")
        verbose_name_plural = _("linhas Multibanco")
        indexes = [models.Index(fields=["status", "reason"], name="multibanco_line_queue_idx")]
        constraints = [
            models.UniqueConstraint(fields=["file", "line_number"], name="multibanco_line_number"),
            # A transaction is imported once, whichever file brings it again.
            models.UniqueConstraint(
                fields=["transaction_id"],
                condition=~models.Q(transaction_id=""),
                name="multibanco_line_unique_transaction",
            ),
            models.CheckConstraint(
                condition=models.Q(status="queued", payment__isnull=True)
                | models.Q(status="refunded", payment__isnull=True)
                | models.Q(status__in=["matched", "matched_by_hand"], payment__isnull=False),
                name="multibanco_line_payment_when_matched",
            ),
            models.CheckConstraint(
                condition=models.Q(status="matched", reason="")
                | (~models.Q(status="matched") & ~models.Q(reason="")),
                name="multibanco_line_reason_when_queued",
            ),
        ]

    def __str__(self):
        return f"{self.file} #{self.line_number}"


class MultibancoLineEvent(Event):
    """A clerk's resolution of a queued line: matched by hand, or refunded (with the note)."""

    line = models.ForeignKey(
        MultibancoLine,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("linha Multibanco"),
    )
    kind = kind_field(MultibancoLine.Status.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento da linha Multibanco")
        verbose_name_plural = _("eventos das linhas Multibanco")


class PendingMultibancoLine(MultibancoLine):
    """The staff's queue "Pagamentos por conciliar": the lines still queued."""

    class Meta:
        proxy = True
        verbose_name = _("pagamento por conciliar")
        verbose_name_plural = _("pagamentos por conciliar")
