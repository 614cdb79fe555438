"""Requests ("Pedidos", manual 6.5) and the structured ones that change a contract (6.2).

A request moves Submetido → Em resolução → Fechado along TRANSITIONS, checked in one
place (``balcao.core.transitions.transition``); every move is a RequestEvent. Structured requests
carry the data of the change they ask for; nothing in the contract changes until a
clerk accepts them (``services.accept_and_apply``).
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field
from balcao.core.transitions import can_transition


class RequestType(models.TextChoices):
    INFORMATION = "information", _("Informação")
    COMPLAINT = "complaint", _("Reclamação")
    CONTACT_CHANGE = "contact_change", _("Alteração de dados de contacto")
    BILLING_ADDRESS = "billing_address", _("Alteração da morada de envio das faturas")
    E_INVOICE_ON = "e_invoice_on", _("Adesão à fatura eletrónica")
    E_INVOICE_OFF = "e_invoice_off", _("Cancelamento da fatura eletrónica")
    DIRECT_DEBIT_ON = "direct_debit_on", _("Adesão ao débito direto")
    TERMINATION = "termination", _("Rescisão do contrato")
    NO_WATER = "no_water", _("Falta de água")
    LOW_PRESSURE = "low_pressure", _("Baixa pressão")
    BURST = "burst", _("Rotura na via pública")
    WATER_QUALITY = "water_quality", _("Qualidade da água")
    INSTALMENTS = "instalments", _("Pagamento em prestações")


# Types whose acceptance changes the contract or its account (manual 6.2 point 2).
STRUCTURED_TYPES = frozenset(
    {
        RequestType.CONTACT_CHANGE,
        RequestType.BILLING_ADDRESS,
        RequestType.E_INVOICE_ON,
        RequestType.E_INVOICE_OFF,
        RequestType.DIRECT_DEBIT_ON,
        RequestType.TERMINATION,
    }
)
# Asked from an invoice's page ("Reclamar desta fatura", "Pedir pagamento em prestações",
# issue 13): the request names its invoice. A payment plan is asked only there, so it is not
# offered in "Novo pedido".
TYPES_ABOUT_AN_INVOICE = frozenset({RequestType.COMPLAINT, RequestType.INSTALMENTS})
TYPES_ONLY_FROM_AN_INVOICE = frozenset({RequestType.INSTALMENTS})
# Closed by a decision, accepted or rejected: a clerk who accepts a payment plan sets its
# instalments (balcao.payments), which then closes the request (services.close_accepted).
TYPES_DECIDED_ELSEWHERE = frozenset({RequestType.INSTALMENTS})
# The clerk may refuse these with a reason ("Rejeitar"): the changes, a complaint found
# groundless, a payment plan not granted.
REJECTABLE_TYPES = STRUCTURED_TYPES | {RequestType.COMPLAINT, RequestType.INSTALMENTS}
# Every type but Informação is about a contract.
TYPES_WITHOUT_CONTRACT = frozenset({RequestType.INFORMATION})
# Where a photo or a document helps the utility.
TYPES_WITH_ATTACHMENTS = frozenset(
    {
        RequestType.INFORMATION,
        RequestType.COMPLAINT,
        RequestType.NO_WATER,
        RequestType.LOW_PRESSURE,
        RequestType.BURST,
        RequestType.WATER_QUALITY,
    }
)
# The contract detail's fields (templates/service_requests/_change_actions.html) and their types.
CHANGE_FIELDS = {
    "e_invoice": frozenset({RequestType.E_INVOICE_ON, RequestType.E_INVOICE_OFF}),
    "direct_debit": frozenset({RequestType.DIRECT_DEBIT_ON}),
    "billing_address": frozenset({RequestType.BILLING_ADDRESS}),
    "contact": frozenset({RequestType.CONTACT_CHANGE}),
    "termination": frozenset({RequestType.TERMINATION}),
}


class Channel(models.TextChoices):
    """ "Pretende receber a resposta ao pedido por" (manual 6.5 point 3)."""

    EMAIL = "email", _("Email")
    PHONE = "phone", _("Telefone")
    NONE = "none", _("Nenhum")


class RequestCounter(models.Model):
    """The last request number given: one row per sequence, locked while a number is taken."""

    name = models.CharField(max_length=20, unique=True)
    last_value = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("contador de pedidos")
        verbose_name_plural = _("contadores de pedidos")

    def __str__(self):
        return f"{self.name}: {self.last_value}"


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submetido")
        IN_PROGRESS = "in_progress", _("Em resolução")
        CLOSED = "closed", _("Fechado")

    class Outcome(models.TextChoices):
        OPEN = "", _("Em aberto")
        ANSWERED = "answered", _("Respondido")
        ACCEPTED = "accepted", _("Aceite e aplicado")
        REJECTED = "rejected", _("Rejeitado")
        WITHDRAWN = "withdrawn", _("Retirado pelo cliente")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.IN_PROGRESS, Status.CLOSED},
        Status.IN_PROGRESS: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    EVENTS = "events"

    number = models.PositiveBigIntegerField(_("Nº do pedido"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="service_requests",
        verbose_name=_("utilizador"),
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("contrato"),
    )
    request_type = models.CharField(_("Tipo"), max_length=30, choices=RequestType.choices)
    status = models.CharField(
        _("Estado"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    outcome = models.CharField(
        _("resultado"), max_length=20, choices=Outcome.choices, default=Outcome.OPEN, blank=True
    )
    description = models.TextField(_("Descrição"), blank=True)
    channel = models.CharField(
        _("Pretende receber a resposta ao pedido por"), max_length=10, choices=Channel.choices
    )
    contact_value = models.CharField(_("Valor do contacto"), max_length=254, blank=True)
    # The change asked for (structured types): e-mail, IBAN, contacts, final reading date.
    payload = models.JSONField(_("dados do pedido"), default=dict, blank=True)
    # The invoice a complaint contests or a payment plan is asked for (issue 13): while such
    # a request is open the invoice gets no reminder or warning and is not debited.
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
        verbose_name=_("fatura"),
    )
    new_address = models.ForeignKey(
        "core.Address",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Nova morada"),
    )
    resolution = models.TextField(_("Resolução"), blank=True)
    submitted_at = models.DateTimeField(_("Submetido"))
    closed_at = models.DateTimeField(_("Concluído"), null=True, blank=True)
    # The form's submission key (balcao.core.forms.SubmissionKeyField): sent twice, one request.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-number"]
        verbose_name = _("pedido")
        verbose_name_plural = _("pedidos")
        indexes = [
            models.Index(fields=["user", "-submitted_at"], name="request_user_idx"),
            models.Index(
                fields=["status", "request_type", "submitted_at"], name="request_queue_idx"
            ),
            models.Index(fields=["contract", "status"], name="request_contract_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_at__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_at__isnull=True)),
                name="closed_request_has_closing_time",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="request_unique_idempotency_key",
            ),
        ]

    def __str__(self):
        return f"{self.number} — {self.get_request_type_display()}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def is_structured(self) -> bool:
        return self.request_type in STRUCTURED_TYPES

    @property
    def is_decided_elsewhere(self) -> bool:
        return self.request_type in TYPES_DECIDED_ELSEWHERE

    @property
    def can_be_rejected(self) -> bool:
        return self.is_open and self.request_type in REJECTABLE_TYPES

    def can_move_to(self, status: str) -> bool:
        return can_transition(self, status)

    @property
    def can_be_withdrawn(self) -> bool:
        """The customer may withdraw it while nobody has started it (still "Submetido")."""
        return self.status == self.Status.SUBMITTED


class RequestEvent(Event):
    """One thing that happened to a request: who, when, what (STYLE.md: every state change)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submetido")
        IN_PROGRESS = "in_progress", _("Em resolução")
        ANSWERED = "answered", _("Respondido e fechado")
        ACCEPTED = "accepted", _("Aceite e aplicado")
        REJECTED = "rejected", _("Rejeitado")
        NOTIFIED = "notified", _("Cliente notificado")
        MESSAGE = "message", _("Mensagem do cliente")
        WITHDRAWN = "withdrawn", _("Retirado pelo cliente")

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("pedido")
    )
    kind = kind_field(Kind.choices)
    from_status = models.CharField(
        _("de"), max_length=20, blank=True, choices=ServiceRequest.Status.choices
    )
    to_status = models.CharField(
        _("para"), max_length=20, blank=True, choices=ServiceRequest.Status.choices
    )

    class Meta(Event.Meta):
        verbose_name = _("evento do pedido")
        verbose_name_plural = _("eventos dos pedidos")

    def __str__(self):
        return f"{self.request.number}: {self.get_kind_display()}"


# The extension of a stored attachment, from the type detected in its content.
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def attachment_path(instance, filename: str) -> str:
    # A random name with the extension of the detected type: nothing of the customer's file
    # name (a "poly.html" that is a PDF) reaches the disk. The name is kept only for display.
    return f"service_requests/{uuid.uuid4().hex}{EXTENSIONS.get(instance.content_type, '.bin')}"


class RequestAttachment(models.Model):
    """A PDF or an image the customer sent with a request, e.g. a photo of a burst."""

    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("pedido"),
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("ficheiro"), upload_to=attachment_path)
    original_name = models.CharField(_("nome original"), max_length=200)
    content_type = models.CharField(_("tipo"), max_length=50)
    size = models.PositiveIntegerField(_("tamanho (bytes)"))
    uploaded_at = models.DateTimeField(_("enviado em"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("anexo")
        verbose_name_plural = _("anexos")

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        """The customer's name for display, with the extension of the detected type."""
        stem = Path(self.original_name).stem or "anexo"
        return f"{stem}{EXTENSIONS.get(self.content_type, '.bin')}"
