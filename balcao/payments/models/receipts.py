"""Payments and their receipts (DOMAIN.md "Payments"; CIVA art. 36; Portaria 302/2016).

A ``Payment`` is money that arrived: by Multibanco, by direct debit, or registered by a
clerk at the counter (cash, card, transfer). It is never edited. A mistake is reversed by a
second ``Payment`` row that ``reverses`` the first, with a reason: the receipt is then
cancelled ("A" in SAF-T) and the invoices it settled are "Por pagar" again.

Every payment issues a ``Receipt`` (``RG <series>/<n>``, numbered without gaps in a
``billing.InvoiceSeries`` of document type RG, with its ATCUD) whose ``ReceiptLine`` rows
say which invoices it settles and how much of each. An invoice is "Paga" once its active
receipt lines add up to its total. ``balcao.payments.services.receipts`` writes all of it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    MULTIBANCO = "multibanco", _("Multibanco")
    DIRECT_DEBIT = "direct_debit", _("Débito direto")
    CASH = "cash", _("Numerário")
    CARD = "card", _("Cartão")
    TRANSFER = "transfer", _("Transferência bancária")

    @property
    def saft_mechanism(self) -> str:
        """SAF-T (PT) PaymentMechanism: MB, TB (transfer or direct debit), NU, CD."""
        return {
            "multibanco": "MB",
            "direct_debit": "TB",
            "cash": "NU",
            "card": "CD",
            "transfer": "TB",
        }[self.value]


# Registered by a clerk at the counter ("Registar pagamento"): the others arrive in files.
COUNTER_METHODS = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.TRANSFER)


class Payment(models.Model):
    """Money received (or, with ``reverses`` set, the reversal of a payment received)."""

    Method = PaymentMethod

    account = models.ForeignKey(
        "contracts.BillingAccount",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("conta de faturação"),
    )
    method = models.CharField(_("Meio de pagamento"), max_length=20, choices=PaymentMethod.choices)
    paid_at = models.DateTimeField(_("Data do pagamento"))
    amount = models.DecimalField(_("Montante"), max_digits=12, decimal_places=2)
    # Where it came from, as a person reads it: "Ficheiro SIBS … linha 12", "Balcão".
    source = models.CharField(_("Origem"), max_length=200)
    # The network's or the bank's id of the transaction (Multibanco transaction id, SEPA
    # end-to-end id + file): a file imported twice pays nothing twice.
    transaction_id = models.CharField(_("Identificador da transação"), max_length=80, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("anula o pagamento"),
    )
    reason = models.TextField(_("Motivo da anulação"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registado por"),
    )
    created_at = models.DateTimeField(_("registado em"), auto_now_add=True)

    class Meta:
        ordering = ["-paid_at", "-pk"]
        verbose_name = _("pagamento")
        verbose_name_plural = _("pagamentos")
        indexes = [models.Index(fields=["account", "-paid_at"], name="payment_account_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "transaction_id"],
                condition=~models.Q(transaction_id="") & models.Q(reverses__isnull=True),
                name="payment_unique_transaction",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(reverses__isnull=True, reason="")
                | (models.Q(reverses__isnull=False) & ~models.Q(reason="")),
                name="payment_reversal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} {self.amount} € ({self.paid_at:%Y-%m-%d})"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class Receipt(models.Model):
    """The receipt (RG) a payment issues, kept as issued; only its status may change."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Emitido")
        CANCELLED = "cancelled", _("Anulado")

    series = models.ForeignKey(
        "billing.InvoiceSeries",
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("série"),
    )
    sequence = models.PositiveIntegerField(_("Número sequencial"))
    number = models.CharField(_("Recibo Nº"), max_length=40, unique=True)
    atcud = models.CharField(_("ATCUD"), max_length=50, unique=True)
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="receipt", verbose_name=_("pagamento")
    )
    account = models.ForeignKey(
        "contracts.BillingAccount",
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("conta de faturação"),
    )
    customer_nif = models.CharField(_("NIF do cliente"), max_length=9)
    customer_name = models.CharField(_("Nome do cliente"), max_length=200)
    customer_address = models.TextField(_("Morada de faturação"))
    issue_date = models.DateField(_("Data de emissão"))
    system_entry_at = models.DateTimeField(_("Registado no sistema em"))
    gross_total = models.DecimalField(_("Total"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    pdf = models.FileField(_("PDF"), upload_to="receipts/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("recibo")
        verbose_name_plural = _("recibos")
        indexes = [models.Index(fields=["issue_date"], name="receipt_issue_date_idx")]
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="receipt_series_sequence"),
        ]

    def __str__(self):
        return self.number

    @property
    def atcud_label(self) -> str:
        return f"ATCUD:{self.atcud}"


class ReceiptLine(models.Model):
    """How much of one invoice a receipt settles."""

    receipt = models.ForeignKey(
        Receipt, on_delete=models.PROTECT, related_name="lines", verbose_name=_("recibo")
    )
    position = models.PositiveSmallIntegerField(_("Linha"))
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="receipt_lines",
        verbose_name=_("fatura"),
    )
    amount = models.DecimalField(_("Valor liquidado"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["receipt", "position"]
        verbose_name = _("linha do recibo")
        verbose_name_plural = _("linhas do recibo")
        constraints = [
            models.UniqueConstraint(fields=["receipt", "position"], name="receipt_line_position"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="receipt_line_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.receipt} — {self.invoice}"
