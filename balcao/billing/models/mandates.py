"""Billing's data. For now: the direct debit mandates (SEPA Core, "Autorização de Débito Direto").

A mandate is the debtor's authorisation, kept as accepted: the debtor's and the
creditor's identity, the account, the wording shown, place and date. It is never
edited; a new mandate replaces the old one, which is cancelled (a MandateEvent says when,
by whom and for which new mandate).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from balcao.core.events import Event, kind_field


def validate_iban(value: str) -> None:
    """A valid IBAN, national check digits included (DOMAIN.md: schwifty), in the SEPA zone."""
    try:
        iban = IBAN(value)
    except (SchwiftyException, ValueError):
        raise ValidationError(
            _("Indique um IBAN válido (por exemplo, PT50 0002 0123 1234 5678 9015 4)."),
            code="invalid_iban",
        ) from None
    if not iban.in_sepa_zone:
        raise ValidationError(
            _("O IBAN tem de ser de uma conta na zona SEPA."), code="iban_outside_sepa"
        )


def validate_bic(value: str) -> None:
    if not value:
        return
    try:
        BIC(value)
    except (SchwiftyException, ValueError):
        raise ValidationError(_("Indique um BIC/SWIFT válido."), code="invalid_bic") from None


def authorisation_text(creditor_name: str) -> str:
    """The EPC's authorisation wording for a SEPA Core mandate, in Portuguese (DOMAIN.md)."""
    return gettext(
        "Ao subscrever esta autorização, está a autorizar %(creditor)s a enviar instruções "
        "ao seu banco para debitar a sua conta e o seu banco a debitar a sua conta, de acordo "
        "com as instruções de %(creditor)s. Os seus direitos incluem a possibilidade de exigir "
        "do seu banco o reembolso do montante debitado, nos termos e condições acordados com o "
        "seu banco. O reembolso deve ser solicitado até um prazo de oito semanas a contar da "
        "data do débito na sua conta, ou de treze meses se o débito não tiver sido autorizado. "
        "Os seus direitos são explicados em documento que pode obter no seu banco."
    ) % {"creditor": creditor_name}


class DirectDebitMandate(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Ativo")
        CANCELLED = "cancelled", _("Cancelado")

    class PaymentType(models.TextChoices):
        RECURRENT = "RCUR", _("Recorrente")
        ONE_OFF = "OOFF", _("Pontual")

    # Moved by balcao.core.transitions.transition, which writes the MandateEvent.
    TRANSITIONS = {
        Status.ACTIVE: {Status.CANCELLED},
        Status.CANCELLED: set(),
    }
    EVENTS = "events"

    reference = models.CharField(_("Referência da autorização"), max_length=35, unique=True)
    account = models.ForeignKey(
        "contracts.BillingAccount",
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("conta de faturação"),
    )
    debtor_name = models.CharField(_("Nome do titular da conta"), max_length=140)
    debtor_address = models.TextField(_("Morada do devedor"))
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    creditor_name = models.CharField(_("Nome do credor"), max_length=140)
    creditor_address = models.TextField(_("Morada do credor"))
    creditor_identifier = models.CharField(_("Identificador do credor"), max_length=35)
    payment_type = models.CharField(
        _("Tipo de pagamento"),
        max_length=4,
        choices=PaymentType.choices,
        default=PaymentType.RECURRENT,
    )
    max_amount = models.DecimalField(
        _("Montante máximo"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    valid_until = models.DateField(_("Válida até"), null=True, blank=True)
    signed_at = models.DateField(_("Data de aceitação"))
    signed_place = models.CharField(_("Local de aceitação"), max_length=80)
    authorisation_text = models.TextField(_("Texto da autorização aceite"))
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelada em"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("autorização de débito direto")
        verbose_name_plural = _("autorizações de débito direto")
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(status="active"),
                name="one_active_mandate_per_account",
            )
        ]

    def __str__(self):
        return self.reference

    @property
    def masked_iban(self) -> str:
        """The account as an invoice shows it: country, check digits and the last 4 digits."""
        compact = self.iban.replace(" ", "")
        return f"{compact[:4]} **** **** **** {compact[-4:]}"


class MandateEvent(Event):
    """One step in a mandate's life after its signature (cancelled when replaced, …)."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("Autorização cancelada")
        # The debtor's own revocation ("Desativar" on the contract page), in force at once.
        REVOKED = "revoked", _("Autorização revogada pelo devedor")

    mandate = models.ForeignKey(
        DirectDebitMandate,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("autorização de débito direto"),
    )
    kind = kind_field(Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento da autorização de débito direto")
        verbose_name_plural = _("eventos das autorizações de débito direto")
