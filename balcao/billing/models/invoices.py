"""Invoices and credit notes (DOMAIN.md "Invoices"; CIVA art. 36; DL 28/2019;
Portaria 195/2020; Portaria 363/2010).

A document is created issued, in one transaction, by ``balcao.billing.services.invoices``:
numbered without gaps in its series (``InvoiceSeries.last_number``, a row locked in that
transaction), with its ATCUD and its hash chained to the previous document of the series.
From then on nothing of it changes: ``Invoice.save()`` refuses a change to anything but
its status and PDF, lines cannot be edited or deleted, and a mistake is corrected with a
credit note (series NC) that references the invoice, followed by a new invoice.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.billing.computation import LineKind, Service
from balcao.core.events import Event, kind_field


class IssuedDocumentError(Exception):
    """A change to an issued document: correct it with a credit note instead."""


class DocumentType(models.TextChoices):
    INVOICE = "FT", _("Fatura")
    CREDIT_NOTE = "NC", _("Nota de crédito")
    # Receipts (balcao.payments) are numbered in series of their own, like invoices.
    RECEIPT = "RG", _("Recibo")


class InvoiceSeries(models.Model):
    """A numbering series registered with the AT (its validation code gives the ATCUD).

    ``last_number`` and ``last_hash`` are the series' counter and the end of its signature
    chain: the issuing service locks this row (SELECT … FOR UPDATE) for the whole
    transaction that numbers, signs and saves a document, so numbers have no gaps even with
    several billing workers. No database sequence: a rolled-back sequence value is a gap.
    """

    DocumentType = DocumentType

    code = models.CharField(
        _("Série"), max_length=20, help_text=_("Por exemplo, 2026A."), db_index=True
    )
    document_type = models.CharField(
        _("Tipo de documento"), max_length=2, choices=DocumentType.choices
    )
    validation_code = models.CharField(
        _("Código de validação (AT)"),
        max_length=30,
        help_text=_(
            "O código que a Autoridade Tributária atribuiu à série ao comunicá-la "
            "(pelo menos 8 caracteres); dá o ATCUD de cada documento."
        ),
    )
    last_number = models.PositiveIntegerField(_("Último número emitido"), default=0)
    last_hash = models.TextField(_("Assinatura do último documento"), blank=True)
    last_issue_date = models.DateField(_("Data do último documento"), null=True, blank=True)
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)

    class Meta:
        ordering = ["document_type", "code"]
        verbose_name = _("série de faturação")
        verbose_name_plural = _("séries de faturação")
        constraints = [
            models.UniqueConstraint(fields=["document_type", "code"], name="series_unique_code")
        ]

    def __str__(self):
        return f"{self.document_type} {self.code}"

    def clean(self) -> None:
        super().clean()
        if len(self.validation_code) < 8 or not self.validation_code.isalnum():
            raise ValidationError(
                {
                    "validation_code": _(
                        "O código de validação tem pelo menos 8 letras ou algarismos."
                    )
                },
                code="validation_code",
            )

    def document_number(self, sequence: int) -> str:
        """``FT 2026A/123``."""
        return f"{self.document_type} {self.code}/{sequence}"

    def atcud(self, sequence: int) -> str:
        """``CSDF7T5H-123`` (printed as ``ATCUD:CSDF7T5H-123``)."""
        return f"{self.validation_code}-{sequence}"


class Invoice(models.Model):
    """An invoice (FT) or a credit note (NC). Amounts in euros, rounded to cents."""

    DocumentType = DocumentType

    class Status(models.TextChoices):
        ISSUED = "issued", _("Por pagar")
        PAID = "paid", _("Paga")
        # Corrected by a credit note (for SAF-T the invoice stays "N", normal).
        CANCELLED = "cancelled", _("Anulada por nota de crédito")

    # Moved by balcao.core.transitions.transition, which writes the InvoiceEvent.
    TRANSITIONS = {
        Status.ISSUED: {Status.PAID, Status.CANCELLED},
        # Back to "Por pagar" when its payment is reversed (balcao.payments) or when a
        # direct debit is returned by the bank.
        Status.PAID: {Status.ISSUED, Status.CANCELLED},
        Status.CANCELLED: set(),
    }
    EVENTS = "events"
    # What may change after issue: the status (paid, cancelled) and the PDF, once.
    MUTABLE_FIELDS = frozenset({"status", "pdf"})

    series = models.ForeignKey(
        InvoiceSeries, on_delete=models.PROTECT, related_name="documents", verbose_name=_("série")
    )
    document_type = models.CharField(
        _("Tipo de documento"), max_length=2, choices=DocumentType.choices
    )
    sequence = models.PositiveIntegerField(_("Número sequencial"))
    number = models.CharField(_("Fatura Nº"), max_length=40, unique=True)
    atcud = models.CharField(_("ATCUD"), max_length=50, unique=True)
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("contrato"),
    )
    account = models.ForeignKey(
        "contracts.BillingAccount",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("conta de faturação"),
    )
    # The customer as the document names them, kept as issued (the master data may change).
    customer_nif = models.CharField(_("NIF do cliente"), max_length=9)
    customer_name = models.CharField(_("Nome do cliente"), max_length=200)
    customer_address = models.TextField(_("Morada de faturação"))
    period_start = models.DateField(_("Início do período"))
    period_end = models.DateField(_("Fim do período"))
    days = models.PositiveSmallIntegerField(_("Dias"))
    tariff = models.ForeignKey(
        "billing.Tariff",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("tarifário"),
    )
    tariff_type = models.CharField(_("Tarifa"), max_length=20)
    household_size = models.PositiveSmallIntegerField(
        _("pessoas no agregado"), null=True, blank=True
    )
    water_volume = models.DecimalField(_("Consumo (m³)"), max_digits=10, decimal_places=3)
    estimated = models.BooleanField(_("Consumo estimado"), default=False)
    issue_date = models.DateField(_("Emitida"))
    system_entry_at = models.DateTimeField(_("Registada no sistema em"))
    due_date = models.DateField(_("Pagar até"), null=True, blank=True)
    net_total = models.DecimalField(_("Total sem IVA"), max_digits=12, decimal_places=2)
    vat_total = models.DecimalField(_("IVA"), max_digits=12, decimal_places=2)
    gross_total = models.DecimalField(_("Total"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    hash = models.TextField(_("Assinatura"))
    hash_control = models.CharField(_("Versão da chave"), max_length=40)
    hash_characters = models.CharField(_("Caracteres da assinatura"), max_length=4)
    readings = models.ManyToManyField(
        "readings.Reading", related_name="invoices", blank=True, verbose_name=_("leituras")
    )
    pdf = models.FileField(_("PDF"), upload_to="invoices/%Y/%m/", blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("documento corrigido"),
    )
    credit_reason = models.TextField(_("Motivo da correção"), blank=True)
    adjustment_note = models.TextField(_("Acerto de estimativas"), blank=True)
    prescription_note = models.TextField(_("Consumos prescritos"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emitida por"),
    )

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("fatura")
        verbose_name_plural = _("faturas")
        indexes = [
            models.Index(fields=["contract", "-issue_date"], name="invoice_contract_date_idx"),
            models.Index(fields=["account", "status"], name="invoice_account_status_idx"),
            models.Index(fields=["issue_date"], name="invoice_issue_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "sequence"], name="invoice_series_sequence"),
            # One invoice in force per contract and period: a billing run repeated issues
            # nothing new (a corrected invoice is cancelled by its credit note first).
            models.UniqueConstraint(
                fields=["contract", "period_start"],
                condition=models.Q(document_type="FT") & ~models.Q(status="cancelled"),
                name="one_invoice_per_contract_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="invoice_period_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(document_type="FT", corrects__isnull=True)
                | models.Q(document_type="NC", corrects__isnull=False),
                name="credit_note_references_invoice",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            changed = self._frozen_changes(kwargs.get("update_fields"))
            if changed:
                raise IssuedDocumentError(
                    f"{self.number} is issued: {', '.join(changed)} cannot change "
                    "(issue a credit note)."
                )
            kept_pdf = getattr(self, "_issued_values", {}).get("pdf")
            if self.pdf and kept_pdf and kept_pdf != self.pdf.name:
                raise IssuedDocumentError(f"{self.number}: the PDF is kept as produced.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise IssuedDocumentError(f"{self.number} is issued: documents are never deleted.")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._issued_values = dict(zip(field_names, values, strict=True))
        return instance

    def _frozen_changes(self, update_fields: Any) -> list[str]:
        names = [
            field.attname
            for field in self._meta.concrete_fields
            if field.name not in self.MUTABLE_FIELDS and not field.primary_key
        ]
        if update_fields is not None:
            wanted = set(update_fields)
            names = [name for name in names if name in wanted or name.removesuffix("_id") in wanted]
            return names
        issued = getattr(self, "_issued_values", None)
        if issued is None:
            issued = type(self).objects.filter(pk=self.pk).values(*names).first() or {}
        return [name for name in names if name in issued and issued[name] != getattr(self, name)]

    @property
    def is_credit_note(self) -> bool:
        return self.document_type == DocumentType.CREDIT_NOTE

    @property
    def is_open(self) -> bool:
        """Still to be paid."""
        return self.document_type == DocumentType.INVOICE and self.status == self.Status.ISSUED

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.due_date is not None and today > self.due_date

    @property
    def atcud_label(self) -> str:
        """As printed on every page and above the QR code: ``ATCUD:CSDF7T5H-35``."""
        return f"ATCUD:{self.atcud}"


class InvoiceLine(models.Model):
    """One line of a document: a service's fixed part or one band of its variable part.

    ``quantity`` is kept to 6 decimals (m³, or periods of 30 days for a fixed part); the
    amount was computed from the exact quantity (``computation.BillLine``).
    """

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="lines", verbose_name=_("fatura")
    )
    position = models.PositiveSmallIntegerField(_("Linha"))
    service = models.CharField(_("Serviço"), max_length=20, choices=Service.choices)
    kind = models.CharField(_("Parte"), max_length=10, choices=LineKind.choices)
    band = models.PositiveSmallIntegerField(_("Escalão"), null=True, blank=True)
    description = models.CharField(_("Descrição"), max_length=200)
    quantity = models.DecimalField(_("Quantidade"), max_digits=14, decimal_places=6)
    unit_price = models.DecimalField(_("Preço unitário"), max_digits=12, decimal_places=6)
    amount = models.DecimalField(_("Valor"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(
        _("Taxa de IVA (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    exemption_code = models.CharField(_("Código de isenção"), max_length=3, blank=True)
    exemption_reason = models.CharField(_("Motivo da isenção"), max_length=60, blank=True)

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("linha da fatura")
        verbose_name_plural = _("linhas da fatura")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position"),
            models.CheckConstraint(
                condition=(models.Q(vat_rate__isnull=False) & models.Q(exemption_code=""))
                | (models.Q(vat_rate__isnull=True) & ~models.Q(exemption_code="")),
                name="invoice_line_rate_or_exemption",
            ),
        ]

    def __str__(self):
        return self.description

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise IssuedDocumentError("The lines of an issued document never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise IssuedDocumentError("The lines of an issued document are never deleted.")


class InvoiceEvent(Event):
    """One step in a document's life: issued, paid, cancelled by a credit note, PDF kept."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Documento emitido")
        PAID = "paid", _("Paga")
        CANCELLED = "cancelled", _("Anulada por nota de crédito")
        PDF = "pdf", _("PDF produzido")
        REOPENED = "reopened", _("Pagamento anulado: de novo por pagar")

    invoice = models.ForeignKey(
        Invoice, on_delete=models.CASCADE, related_name="events", verbose_name=_("fatura")
    )
    kind = kind_field(Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento da fatura")
        verbose_name_plural = _("eventos das faturas")
