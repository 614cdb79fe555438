"""Refunds owed to customers: what they had paid of an invoice a credit note then cancelled.

A ``Refund`` is recorded with the credit note, in its transaction ("Por reembolsar"), for
what the receipts in force settled of the invoice; a clerk of Faturação pays it back and
marks it "Reembolsado" with the method and an optional note. It is done once.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RefundMethod(models.TextChoices):
    TRANSFER = "transfer", _("Transferência bancária")
    CASH = "cash", _("Numerário")


class Refund(models.Model):
    class Status(models.TextChoices):
        TO_REFUND = "to_refund", _("Por reembolsar")
        REFUNDED = "refunded", _("Reembolsado")

    Method = RefundMethod

    invoice = models.OneToOneField(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="refund",
        verbose_name=_("fatura"),
    )
    credit_note = models.OneToOneField(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="refund_of_credit_note",
        verbose_name=_("nota de crédito"),
    )
    account = models.ForeignKey(
        "contracts.BillingAccount",
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("conta de faturação"),
    )
    amount = models.DecimalField(_("Montante"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.TO_REFUND
    )
    created_at = models.DateTimeField(_("registado em"), auto_now_add=True)
    done_at = models.DateTimeField(_("reembolsado em"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reembolsado por"),
    )
    method = models.CharField(
        _("Meio do reembolso"), max_length=10, choices=RefundMethod.choices, blank=True
    )
    note = models.TextField(_("Nota do reembolso"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reembolso")
        verbose_name_plural = _("reembolsos")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(status="to_refund", done_at__isnull=True, method="")
                | models.Q(status="refunded", done_at__isnull=False) & ~models.Q(method=""),
                name="refund_done_with_date_and_method",
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number} → {self.credit_note.number}"
