"""The utility's master data: customers, billing accounts, installations, meters, contracts.

They are the utility's records (its customer system is the source; the portal changes them
only through contracts' services). Identifiers people read (customer number, account
number, CIL, contract number) are fields of their own, never the primary key.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field
from balcao.core.nif import validate_nif


class Customer(models.Model):
    """The contract holder ("Titular do contrato")."""

    customer_number = models.CharField(_("Número de cliente"), max_length=20, unique=True)
    name = models.CharField(_("Nome"), max_length=200)
    nif = models.CharField(_("NIF"), max_length=9, validators=[validate_nif], db_index=True)
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("Telefone"), max_length=20, blank=True)
    mobile = models.CharField(_("Telemóvel"), max_length=20, blank=True)
    correspondence_address = models.ForeignKey(
        "core.Address",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Morada de correspondência"),
    )

    class Meta:
        ordering = ["customer_number"]
        verbose_name = _("cliente")
        verbose_name_plural = _("clientes")

    def __str__(self):
        return f"{self.customer_number} — {self.name}"


class BillingAccount(models.Model):
    """Where and how a customer's invoices go ("Dados de pagamento")."""

    account_number = models.CharField(_("Número de conta"), max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("cliente")
    )
    billing_address = models.ForeignKey(
        "core.Address",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Morada de envio das faturas"),
    )
    e_invoice = models.BooleanField(_("Fatura eletrónica"), default=False)
    e_invoice_email = models.EmailField(_("E-mail da fatura eletrónica"), blank=True)
    direct_debit = models.BooleanField(_("Débito direto"), default=False)

    class Meta:
        ordering = ["account_number"]
        verbose_name = _("conta de faturação")
        verbose_name_plural = _("contas de faturação")

    def __str__(self):
        return self.account_number


class Installation(models.Model):
    """The place supplied, with its CIL and the days of the month for readings."""

    cil = models.CharField(_("Instalação (CIL)"), max_length=20, unique=True)
    address = models.ForeignKey(
        "core.Address",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Morada de consumo"),
    )
    reading_window_start = models.PositiveSmallIntegerField(
        _("início do período de leitura (dia)"), default=2
    )
    reading_window_end = models.PositiveSmallIntegerField(
        _("fim do período de leitura (dia)"), default=8
    )

    class Meta:
        ordering = ["cil"]
        verbose_name = _("instalação")
        verbose_name_plural = _("instalações")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reading_window_start__gte=1)
                & models.Q(reading_window_end__lte=28)
                & models.Q(reading_window_start__lte=models.F("reading_window_end")),
                name="reading_window_within_month",
            )
        ]

    def __str__(self):
        return self.cil


class Meter(models.Model):
    """A water meter, on one installation from ``installed_on`` until ``removed_on``."""

    serial = models.CharField(_("Número de série"), max_length=30, unique=True)
    calibre_mm = models.PositiveSmallIntegerField(_("Calibre (mm)"), default=15)
    installation = models.ForeignKey(
        Installation, on_delete=models.PROTECT, related_name="meters", verbose_name=_("instalação")
    )
    installed_on = models.DateField(_("Instalado em"))
    initial_index = models.PositiveIntegerField(_("Índice na instalação (m³)"), default=0)
    removed_on = models.DateField(_("Retirado em"), null=True, blank=True)
    final_index = models.PositiveIntegerField(_("Índice final (m³)"), null=True, blank=True)

    class Meta:
        ordering = ["installation", "-installed_on"]
        verbose_name = _("contador")
        verbose_name_plural = _("contadores")
        indexes = [models.Index(fields=["installation", "installed_on"], name="meter_inst_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["installation"],
                condition=models.Q(removed_on__isnull=True),
                name="one_current_meter_per_installation",
            )
        ]

    def __str__(self):
        return self.serial


class Contract(models.Model):
    class Product(models.TextChoices):
        WATER = "water", _("Água")
        WATER_SANITATION = "water_sanitation", _("Água e Saneamento")
        WATER_SANITATION_WASTE = "water_sanitation_waste", _("Água, Saneamento e Resíduos")

    class TariffType(models.TextChoices):
        DOMESTIC = "domestic", _("Doméstica")
        NON_DOMESTIC = "non_domestic", _("Não doméstica")
        SOCIAL = "social", _("Social")
        LARGE_FAMILY = "large_family", _("Família numerosa")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Ativo")
        ENDED = "ended", _("Terminado")

    # Moved by balcao.core.transitions.transition, which writes the ContractEvent.
    TRANSITIONS = {
        Status.ACTIVE: {Status.ENDED},
        Status.ENDED: set(),
    }
    EVENTS = "events"

    contract_number = models.CharField(_("Número de contrato"), max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("cliente")
    )
    account = models.ForeignKey(
        BillingAccount,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("conta de faturação"),
    )
    installation = models.ForeignKey(
        Installation,
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("instalação"),
    )
    product = models.CharField(_("Plano"), max_length=30, choices=Product.choices)
    tariff_type = models.CharField(
        _("Tarifa"), max_length=20, choices=TariffType.choices, default=TariffType.DOMESTIC
    )
    household_size = models.PositiveSmallIntegerField(
        _("pessoas no agregado"), null=True, blank=True, help_text=_("Para a família numerosa.")
    )
    start_date = models.DateField(_("Data de início"))
    end_date = models.DateField(_("Data de fim"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )

    class Meta:
        ordering = ["contract_number"]
        verbose_name = _("contrato")
        verbose_name_plural = _("contratos")
        indexes = [
            models.Index(fields=["installation", "status"], name="contract_inst_status_idx"),
            models.Index(fields=["customer", "status"], name="contract_cust_status_idx"),
        ]

    def __str__(self):
        return self.contract_number

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ContractEvent(Event):
    """One step in a contract's life in the portal (terminated on a request, …)."""

    class Kind(models.TextChoices):
        ENDED = "ended", _("Contrato terminado")
        # Changes of the billing account or of the holder, recorded on each of their contracts
        # (balcao.contracts.services.account_changes).
        E_INVOICE_ON = "e_invoice_on", _("Fatura eletrónica ativada")
        E_INVOICE_OFF = "e_invoice_off", _("Fatura eletrónica cancelada")
        BILLING_ADDRESS = "billing_address", _("Morada de envio das faturas alterada")
        CONTACTS = "contacts", _("Contactos do titular alterados")
        DIRECT_DEBIT_OFF = "direct_debit_off", _("Débito direto desativado")

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="events", verbose_name=_("contrato")
    )
    kind = kind_field(Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento do contrato")
        verbose_name_plural = _("eventos dos contratos")
