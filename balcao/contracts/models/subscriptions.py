"""The portal's subscriptions to contracts, and how they are activated (manual section 2).

A Subscription is a portal user's claim to a contract, which becomes active only through
activation: an e-mail link or the code of a letter to the holder's address (ActivationKey,
Letter).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balcao.contracts.models.master_data import Contract
from balcao.core.events import Event, kind_field


class Subscription(models.Model):
    """A portal user's claim to a contract ("Adicionar um contrato", manual section 2).

    The numbers the user typed are kept as typed; ``contract`` is set only when the
    evaluation matched them (or a clerk chose it). Only an ACTIVE subscription gives
    the user access to the contract. The status moves only along TRANSITIONS, through
    ``balcao.core.transitions.transition`` (which also writes the SubscriptionEvent).
    """

    class Status(models.TextChoices):
        EVALUATING = "evaluating", _("Em avaliação")
        AWAITING_ACTIVATION = "awaiting_activation", _("A aguardar ativação")
        ACTIVE = "active", _("Ativo")
        REJECTED = "rejected", _("Rejeitado")
        LOCKED = "locked", _("Bloqueado")
        REMOVED = "removed", _("Removido")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Carta")

    TRANSITIONS = {
        Status.EVALUATING: {
            Status.AWAITING_ACTIVATION,
            Status.REJECTED,
            Status.LOCKED,
            Status.REMOVED,
        },
        Status.AWAITING_ACTIVATION: {
            Status.AWAITING_ACTIVATION,
            Status.ACTIVE,
            Status.LOCKED,
            Status.REMOVED,
        },
        Status.LOCKED: {Status.EVALUATING, Status.AWAITING_ACTIVATION, Status.REMOVED},
        Status.ACTIVE: {Status.REMOVED},
        Status.REJECTED: {Status.REMOVED},
        Status.REMOVED: set(),
    }
    EVENTS = "events"
    # Statuses in which the user is still waiting for the utility or for a code.
    PENDING = (Status.EVALUATING, Status.AWAITING_ACTIVATION, Status.LOCKED)
    # How long the evaluation and the printing of a letter take at most (the staff print the
    # letters daily): from then on the page speaks of a letter on its way (issue 11, item 4).
    LETTER_TIME = datetime.timedelta(days=3)

    reference = models.UUIDField(_("referência"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("utilizador"),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        related_name="subscriptions",
        null=True,
        blank=True,
        verbose_name=_("contrato"),
    )
    product = models.CharField(_("Produto contratado"), max_length=30, default="water_sanitation")
    cil = models.CharField(_("Instalação (CIL)"), max_length=20)
    customer_number = models.CharField(_("Número de cliente"), max_length=20)
    account_number = models.CharField(_("Número de conta"), max_length=20)
    custom_name = models.CharField(_("Nome personalizado"), max_length=60)
    status = models.CharField(
        _("estado"), max_length=20, choices=Status.choices, default=Status.EVALUATING
    )
    activation_channel = models.CharField(
        _("ativação por"), max_length=10, choices=Channel.choices, blank=True
    )
    failed_code_attempts = models.PositiveSmallIntegerField(
        _("tentativas de código erradas"), default=0
    )
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)
    activated_at = models.DateTimeField(_("ativada em"), null=True, blank=True)
    rejection_reason = models.TextField(_("motivo da rejeição"), blank=True)

    class Meta:
        ordering = ["custom_name", "pk"]
        verbose_name = _("subscrição de contrato")
        verbose_name_plural = _("subscrições de contratos")
        indexes = [
            models.Index(fields=["user", "status"], name="subscription_user_status_idx"),
            models.Index(fields=["status", "created_at"], name="subscription_queue_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "contract"],
                condition=models.Q(status="active"),
                name="one_active_subscription_per_user_contract",
            )
        ]

    def __str__(self):
        return f"{self.custom_name} ({self.get_status_display()})"

    @property
    def waits_for_letter(self) -> bool:
        """True while the user may type a letter's code: evaluating, or approved by letter.

        Both look the same to the user, so that the page never tells whether the
        numbers typed matched a contract (the letter goes to the holder's address).
        """
        return self.status == self.Status.EVALUATING or (
            self.status == self.Status.AWAITING_ACTIVATION
            and self.activation_channel == self.Channel.LETTER
        )

    @property
    def letter_on_its_way(self) -> bool:
        """True once LETTER_TIME has passed since the request while it waits for a letter.

        By then an approved request's letter has been printed; a request whose numbers
        match nothing reads the same, so that the page never tells them apart.
        """
        if not self.waits_for_letter or self.created_at is None:  # (not saved yet)
            return False
        return timezone.now() >= self.created_at + self.LETTER_TIME

    @property
    def customer_status_label(self) -> str:
        """The status as the user sees it: an approval by letter reads like a request still
        evaluated ("Em avaliação"), then, once a letter would be on its way, "A aguardar a
        carta" for both (issue 11, item 4)."""
        if self.waits_for_letter:
            if self.letter_on_its_way:
                return str(_("A aguardar a carta"))
            return str(self.Status.EVALUATING.label)
        return self.get_status_display()


class SubscriptionEvent(Event):
    """One step in a subscription's life: who did what, when (visible to staff)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Pedido criado")
        APPROVED = "approved", _("Aprovado")
        REJECTED = "rejected", _("Rejeitado")
        LINK_EMAILED = "link_emailed", _("Ligação de ativação enviada por e-mail")
        LETTER_QUEUED = "letter_queued", _("Carta de ativação em fila")
        LETTER_SENT = "letter_sent", _("Carta com o código impressa e enviada")
        NEW_LETTER_REQUESTED = "new_letter_requested", _("Nova carta pedida")
        WRONG_CODE = "wrong_code", _("Código errado")
        EXPIRED_CODE = "expired_code", _("Código expirado")
        LOCKED = "locked", _("Bloqueado")
        ACTIVATED = "activated", _("Ativado")
        RENAMED = "renamed", _("Nome personalizado alterado")
        REMOVED = "removed", _("Removido do portal")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="events", verbose_name=_("subscrição")
    )
    kind = kind_field(Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("evento de subscrição")
        verbose_name_plural = _("eventos de subscrição")
        indexes = [models.Index(fields=["subscription", "kind", "at"], name="subevent_kind_idx")]


class ActivationKey(models.Model):
    """A single-use secret that activates one subscription: an e-mail link or a letter's code.

    Only an HMAC-SHA256 digest is stored (balcao.contracts.activation_keys), so that
    a copy of the database activates nothing.
    """

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="keys", verbose_name=_("subscrição")
    )
    channel = models.CharField(_("canal"), max_length=10, choices=Subscription.Channel.choices)
    digest = models.CharField(_("resumo"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("criada em"), auto_now_add=True)
    expires_at = models.DateTimeField(_("válida até"))
    used_at = models.DateTimeField(_("usada em"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("anulada em"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("chave de ativação")
        verbose_name_plural = _("chaves de ativação")

    def __str__(self):
        return f"{self.get_channel_display()} — {self.created_at:%Y-%m-%d}"


class Letter(models.Model):
    """An activation letter to the holder's correspondence address.

    It is queued without a code; printing it ("Imprimir cartas") creates the code, so
    the code exists only on paper (and as a digest): the copy kept under LETTERS_DIR leaves
    it out, and is readable only with the permission "print_letters".
    """

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="letters", verbose_name=_("subscrição")
    )
    recipient_name = models.CharField(_("destinatário"), max_length=200)
    address_lines = models.TextField(_("morada"), help_text=_("Uma linha por linha do envelope."))
    created_at = models.DateTimeField(_("pedida em"), auto_now_add=True)
    printed_at = models.DateTimeField(_("impressa em"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("impressa por"),
    )
    key = models.OneToOneField(
        ActivationKey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letter",
        verbose_name=_("chave"),
    )
    file = models.CharField(_("ficheiro"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("carta de ativação")
        verbose_name_plural = _("cartas de ativação")
        indexes = [models.Index(fields=["printed_at", "created_at"], name="letter_queue_idx")]
        # Printing creates the codes, and the kept PDFs hold personal data: the group that
        # prints has it, not everyone who may see the list of letters.
        permissions = [("print_letters", _("Pode imprimir e abrir as cartas de ativação"))]

    def __str__(self):
        return f"{self.recipient_name} — {self.created_at:%Y-%m-%d}"
