"""SEPA direct debit (DOMAIN.md "Direct debit"; issue 13): the files sent to the bank and what
became of each debit.

A ``DirectDebitBatch`` is one pain.008 file for one due date, kept as written. Each invoice
in it is a ``DirectDebitCollection`` (one per invoice, ever: an invoice is collected once),
which the bank's answers (pain.002, camt.054) move from "Enviado" to "Cobrado" (a receipt is
issued) or "Devolvido" (an R-transaction with its reason code: the invoice is "Por pagar"
again, with a Multibanco reference and a new due date kept here, since the invoice itself
is immutable). Each answer received is a ``BankReturnFile``, kept as it came, imported once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field
from balcao.payments.models.received_files import ReceivedFile, imported_once


class SequenceType(models.TextChoices):
    """SEPA Core sequence types: the first debit of a mandate, then the recurrent ones."""

    FIRST = "FRST", _("Primeiro débito")
    RECURRENT = "RCUR", _("Débito recorrente")


class DirectDebitBatch(models.Model):
    """One pain.008 file: the direct debits of the invoices due on ``due_date``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Em fila")
        RUNNING = "running", _("Em curso")
        DONE = "done", _("Concluído")
        FAILED = "failed", _("Interrompido")

    due_date = models.DateField(_("Data do débito"))
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    message_id = models.CharField(_("Identificador da mensagem"), max_length=35, blank=True)
    schema = models.CharField(_("Versão do ficheiro"), max_length=20, blank=True)
    file = models.FileField(_("Ficheiro pain.008"), upload_to="sepa/%Y/%m/", blank=True)
    total = models.PositiveIntegerField(_("Faturas a debitar"), default=0)
    seen = models.PositiveIntegerField(_("Faturas vistas"), default=0)
    collections_count = models.PositiveIntegerField(_("Débitos no ficheiro"), default=0)
    first_count = models.PositiveIntegerField(_("Primeiros débitos (FRST)"), default=0)
    recurrent_count = models.PositiveIntegerField(_("Débitos recorrentes (RCUR)"), default=0)
    skipped = models.PositiveIntegerField(_("Sem autorização ativa"), default=0)
    total_amount = models.DecimalField(
        _("Montante total"), max_digits=14, decimal_places=2, default=0
    )
    errors = models.TextField(_("Erros"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criado por"),
    )
    created_at = models.DateTimeField(_("criado em"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminado em"), null=True, blank=True)

    class Meta:
        ordering = ["-due_date", "-pk"]
        verbose_name = _("ficheiro de débitos diretos")
        verbose_name_plural = _("ficheiros de débitos diretos")

    def __str__(self):
        return f"{self.due_date:%Y-%m-%d} ({self.message_id or self.pk})"


class BankReturnFile(ReceivedFile):
    """One of the bank's answers (pain.002 or camt.054), from ``import_sepa_returns`` or the
    admin upload ("Importar devoluções do banco"), and what came of its debits."""

    # The file as received, kept: the bank's word for every debit settled or returned.
    content = models.FileField(_("Conteúdo"), upload_to="sepa/returns/%Y/%m/")
    kind = models.CharField(_("Tipo de ficheiro"), max_length=10, blank=True)
    message_id = models.CharField(_("Identificador da mensagem"), max_length=35, blank=True)
    lines_read = models.PositiveIntegerField(_("Débitos lidos"), default=0)
    settled = models.PositiveIntegerField(_("Cobrados"), default=0)
    returned = models.PositiveIntegerField(_("Devolvidos"), default=0)
    already_known = models.PositiveIntegerField(_("Já registados"), default=0)
    unmatched = models.PositiveIntegerField(_("Sem correspondência"), default=0)
    warnings = models.TextField(_("Avisos"), blank=True)

    class Meta(ReceivedFile.Meta):
        verbose_name = _("ficheiro de devoluções do banco")
        verbose_name_plural = _("ficheiros de devoluções do banco")
        constraints = [imported_once("bank_return_file_once")]


class BankReturnFileEvent(Event):
    file = models.ForeignKey(
        BankReturnFile,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("ficheiro de devoluções do banco"),
    )
    kind = kind_field(BankReturnFile.Status.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento do ficheiro de devoluções do banco")
        verbose_name_plural = _("eventos dos ficheiros de devoluções do banco")


class DirectDebitCollection(models.Model):
    """One invoice debited: sent in a batch, then settled or returned by the bank."""

    class Status(models.TextChoices):
        SENT = "sent", _("Enviado ao banco")
        SETTLED = "settled", _("Cobrado")
        RETURNED = "returned", _("Devolvido")

    # What the bank's answers may do: settle or return a debit sent, and return one already
    # settled (a refund the debtor asked of their bank, or a late R-transaction).
    TRANSITIONS = {
        Status.SENT: {Status.SETTLED, Status.RETURNED},
        Status.SETTLED: {Status.RETURNED},
        Status.RETURNED: set(),
    }

    batch = models.ForeignKey(
        DirectDebitBatch,
        on_delete=models.PROTECT,
        related_name="collections",
        verbose_name=_("ficheiro de débitos diretos"),
    )
    invoice = models.OneToOneField(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="direct_debit_collection",
        verbose_name=_("fatura"),
    )
    mandate = models.ForeignKey(
        "billing.DirectDebitMandate",
        on_delete=models.PROTECT,
        related_name="collections",
        verbose_name=_("autorização de débito direto"),
    )
    amount = models.DecimalField(_("Montante"), max_digits=12, decimal_places=2)
    sequence_type = models.CharField(
        _("Tipo de sequência"), max_length=4, choices=SequenceType.choices
    )
    end_to_end_id = models.CharField(_("Identificador ponta a ponta"), max_length=35, unique=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    payment = models.ForeignKey(
        "payments.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pagamento"),
    )
    settled_on = models.DateField(_("Cobrado em"), null=True, blank=True)
    reason_code = models.CharField(_("Código do motivo"), max_length=4, blank=True)
    returned_on = models.DateField(_("Devolvido em"), null=True, blank=True)
    # The invoice's new due date after a return (the invoice keeps the one it was issued with).
    new_due_date = models.DateField(_("Nova data limite de pagamento"), null=True, blank=True)
    return_source = models.CharField(_("Ficheiro da devolução"), max_length=200, blank=True)
    # The file that returned it (debits returned before files were kept have none).
    return_file = models.ForeignKey(
        BankReturnFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returned_collections",
        verbose_name=_("ficheiro de devoluções do banco"),
    )

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("débito direto")
        verbose_name_plural = _("débitos diretos")
        indexes = [models.Index(fields=["mandate", "status"], name="collection_mandate_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="collection_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned")
                | (~models.Q(reason_code="") & models.Q(new_due_date__isnull=False)),
                name="collection_return_has_reason_and_due_date",
            ),
        ]

    def __str__(self):
        return self.end_to_end_id
