"""Payment plans ("Pagamento em prestações", issue 13): an unpaid invoice paid in 2 to 12
instalments that a clerk granted on the customer's request.

Each ``Instalment`` has its due date, its amount (the invoice's open amount split to the
cent, the last one taking the remainder) and is paid by a receipt line of the invoice
(``balcao.payments.services.plans.pay_instalment``). While the plan runs, reminders follow
the instalments instead of the invoice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_INSTALMENTS = 2
MAX_INSTALMENTS = 12


class PaymentPlan(models.Model):
    invoice = models.OneToOneField(
        "billing.Invoice",
        on_delete=models.PROTECT,
        related_name="payment_plan",
        verbose_name=_("fatura"),
    )
    request = models.OneToOneField(
        "service_requests.ServiceRequest",
        on_delete=models.PROTECT,
        related_name="payment_plan",
        verbose_name=_("pedido"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concedido por"),
    )
    created_at = models.DateTimeField(_("concedido em"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("plano de prestações")
        verbose_name_plural = _("planos de prestações")

    def __str__(self):
        return f"{self.invoice} ({self.request.number})"


class Instalment(models.Model):
    plan = models.ForeignKey(
        PaymentPlan,
        on_delete=models.CASCADE,
        related_name="instalments",
        verbose_name=_("plano de prestações"),
    )
    number = models.PositiveSmallIntegerField(_("Prestação"))
    due_date = models.DateField(_("Pagar até"))
    amount = models.DecimalField(_("Montante"), max_digits=12, decimal_places=2)
    # The receipt line that paid it; empty while it is open.
    receipt_line = models.OneToOneField(
        "payments.ReceiptLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instalment",
        verbose_name=_("linha do recibo"),
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("prestação")
        verbose_name_plural = _("prestações")
        indexes = [models.Index(fields=["due_date"], name="instalment_due_idx")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_plan_number"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="instalment_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.plan.invoice} — {self.number}"

    @property
    def is_paid(self) -> bool:
        return self.receipt_line_id is not None
