"""Tariffs as data (DOMAIN.md "Tariffs"), edited by the group Faturação in the admin.

Shape: ``Tariff`` (tariff type, valid from, sanitation coefficient) → ``TariffService`` (one
row per service: its VAT treatment) and ``TariffPrice`` (one row per price: a service's
fixed part, optionally per meter calibre, or one band of its variable part). Three flat
tables rather than a JSON document or a deeper tree so that the admin edits a whole tariff
on one page (two inlines; Django's admin cannot nest inlines) with a typed, validated
column per number, and the computation reads them into ``computation.TariffData`` in one
place (``Tariff.to_data``).

A tariff that an issued document used is frozen: it cannot be changed or deleted, only
superseded by a new tariff from a later date (``TariffInUse``; the admin shows it read-only
and the services refuse it). A new tariff cannot take effect on a day that an issued
invoice of its type already billed.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.billing.computation import (
    SERVICE_ORDER,
    Band,
    FixedPrice,
    LineKind,
    Service,
    ServiceTerms,
    TariffData,
    TariffType,
    VatTreatment,
)


class TariffInUse(Exception):
    """A change to a tariff that an issued document used: supersede it instead."""


class Tariff(models.Model):
    tariff_type = models.CharField(_("Tarifa"), max_length=20, choices=TariffType.choices)
    valid_from = models.DateField(_("Em vigor a partir de"))
    name = models.CharField(_("Nome"), max_length=120)
    sanitation_coefficient = models.DecimalField(
        _("Coeficiente de recolha do saneamento"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.90"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("Volume de saneamento = volume de água × coeficiente (ERSAR: 0,90)."),
    )
    source = models.TextField(_("Origem e notas"), blank=True)
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)

    class Meta:
        ordering = ["tariff_type", "-valid_from"]
        verbose_name = _("tarifário")
        verbose_name_plural = _("tarifários")
        constraints = [
            models.UniqueConstraint(
                fields=["tariff_type", "valid_from"], name="one_tariff_per_type_and_date"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_tariff_type_display()}, {self.valid_from:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_editable()
        return super().delete(*args, **kwargs)

    @property
    def is_in_use(self) -> bool:
        """An issued document used it: it may only be superseded."""
        return self.pk is not None and self.invoices.exists()

    def check_editable(self) -> None:
        if self.is_in_use:
            raise TariffInUse(
                f"Tariff {self.pk} was used by an issued invoice: supersede it from a later date."
            )

    def clean(self) -> None:
        super().clean()
        from balcao.billing.models.invoices import Invoice

        billed = Invoice.objects.filter(
            document_type=Invoice.DocumentType.INVOICE,
            tariff__tariff_type=self.tariff_type,
            period_end__gte=self.valid_from,
        ).exclude(tariff_id=self.pk)
        if self.tariff_type and self.valid_from and billed.exists():
            raise ValidationError(
                {
                    "valid_from": _(
                        "Já foram emitidas faturas desta tarifa para esse dia. Um novo "
                        "tarifário só pode entrar em vigor depois do último período faturado."
                    )
                },
                code="tariff_after_billed_period",
            )

    def to_data(self) -> TariffData:
        """The tariff as the pure computation reads it (two queries)."""
        prices: dict[str, list[TariffPrice]] = {}
        for price in self.prices.all():
            prices.setdefault(price.service, []).append(price)
        terms = []
        for row in sorted(self.services.all(), key=lambda row: SERVICE_ORDER[Service(row.service)]):
            rows = prices.get(row.service, [])
            fixed = tuple(
                FixedPrice(price=p.price, up_to_calibre_mm=p.up_to_calibre_mm)
                for p in rows
                if p.kind == LineKind.FIXED
            )
            variable = sorted(
                (p for p in rows if p.kind == LineKind.VARIABLE),
                key=lambda p: (p.up_to is None, p.up_to or 0),
            )
            terms.append(
                ServiceTerms(
                    service=Service(row.service),
                    vat=row.vat_treatment(),
                    fixed=fixed,
                    bands=tuple(Band(up_to=p.up_to, price=p.price) for p in variable),
                )
            )
        return TariffData(
            tariff_type=self.tariff_type,
            valid_from=self.valid_from,
            sanitation_coefficient=self.sanitation_coefficient,
            services=tuple(terms),
            name=self.name,
        )


class _FrozenWithTariff(models.Model):
    """A row of a tariff: frozen with it once an issued document used the tariff."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.tariff.check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.tariff.check_editable()
        return super().delete(*args, **kwargs)


class TariffService(_FrozenWithTariff):
    """A service the tariff charges, with the VAT treatment of its lines."""

    tariff = models.ForeignKey(
        Tariff, on_delete=models.CASCADE, related_name="services", verbose_name=_("tarifário")
    )
    service = models.CharField(_("Serviço"), max_length=20, choices=Service.choices)
    vat_rate = models.DecimalField(
        _("Taxa de IVA (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vazio quando não sujeito a IVA (indique o código e o motivo)."),
    )
    exemption_code = models.CharField(
        _("Código de isenção"), max_length=3, blank=True, help_text=_("Por exemplo, M99.")
    )
    exemption_reason = models.CharField(_("Motivo da isenção"), max_length=60, blank=True)

    class Meta:
        ordering = ["tariff", "service"]
        verbose_name = _("serviço do tarifário")
        verbose_name_plural = _("serviços do tarifário")
        constraints = [
            models.UniqueConstraint(fields=["tariff", "service"], name="tariff_service_once"),
            models.CheckConstraint(
                condition=(models.Q(vat_rate__isnull=False) & models.Q(exemption_code=""))
                | (models.Q(vat_rate__isnull=True) & ~models.Q(exemption_code="")),
                name="tariff_service_rate_or_exemption",
            ),
        ]

    def __str__(self):
        return self.get_service_display()

    def clean(self) -> None:
        super().clean()
        if (self.vat_rate is None) == (not self.exemption_code):
            raise ValidationError(
                _("Indique a taxa de IVA ou, se não sujeito, o código de isenção."),
                code="rate_or_exemption",
            )
        if self.exemption_code and not self.exemption_reason:
            raise ValidationError(
                {"exemption_reason": _("Indique o motivo da isenção.")}, code="reason"
            )

    def vat_treatment(self) -> VatTreatment:
        return VatTreatment(
            rate=self.vat_rate,
            exemption_code=self.exemption_code,
            exemption_reason=self.exemption_reason,
        )


class TariffPrice(_FrozenWithTariff):
    """One price of a service: its fixed part (€ per 30 days, optionally up to a meter
    calibre) or one band of its variable part (€ per m³ up to a volume per 30 days; the
    last band of a service has no limit; a flat price is one band without a limit)."""

    tariff = models.ForeignKey(
        Tariff, on_delete=models.CASCADE, related_name="prices", verbose_name=_("tarifário")
    )
    service = models.CharField(_("Serviço"), max_length=20, choices=Service.choices)
    # A tariff prices fixed and variable parts; the acerto is an invoice's line, never a price.
    kind = models.CharField(
        _("Parte"),
        max_length=10,
        choices=[(kind.value, kind.label) for kind in (LineKind.FIXED, LineKind.VARIABLE)],
    )
    up_to = models.DecimalField(
        _("Escalão até (m³ por 30 dias)"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Parte variável: limite superior do escalão; vazio no último."),
    )
    up_to_calibre_mm = models.PositiveSmallIntegerField(
        _("Calibre até (mm)"),
        null=True,
        blank=True,
        help_text=_("Parte fixa por calibre do contador; vazio: qualquer calibre."),
    )
    price = models.DecimalField(
        _("Preço (€)"),
        max_digits=10,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Parte fixa: € por 30 dias; parte variável: € por m³."),
    )

    class Meta:
        ordering = ["tariff", "service", "kind", "up_to_calibre_mm", "up_to"]
        verbose_name = _("preço do tarifário")
        verbose_name_plural = _("preços do tarifário")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="fixed", up_to__isnull=True)
                | models.Q(kind="variable", up_to_calibre_mm__isnull=True),
                name="tariff_price_limit_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_service_display()} — {self.get_kind_display()}: {self.price}"
