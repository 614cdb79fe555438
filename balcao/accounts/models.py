"""Portal users: the people who sign in, and what the portal itself holds about them.

The profile is the portal's own data (manual section 3): it is not the contract's
holder data, which belongs to the utility's master data (app contracts).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from balcao.core.events import Event, kind_field
from balcao.core.nif import validate_nif


class User(AbstractUser):
    first_name = models.CharField(_("Nome"), max_length=150, blank=True)
    last_name = models.CharField(_("Apelidos"), max_length=150, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    nif = models.CharField(_("NIF"), max_length=9, blank=True, validators=[validate_nif])
    phone = models.CharField(_("Contacto telefónico"), max_length=20, blank=True)
    mobile = models.CharField(_("Telemóvel"), max_length=20, blank=True)
    address = models.ForeignKey(
        "core.Address",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Morada"),
    )
    language = models.CharField(
        _("Idioma"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    email_confirmed_at = models.DateTimeField(_("e-mail confirmado em"), null=True, blank=True)
    # The address asked for in "Alterar e-mail", until its owner opens the link sent to it.
    pending_email = models.EmailField(_("novo e-mail por confirmar"), blank=True)
    is_legacy = models.BooleanField(
        _("conta do portal antigo"),
        default=False,
        help_text=_("Importada do portal antigo: define a password pela recuperação."),
    )
    terms_version = models.CharField(_("versão dos termos aceites"), max_length=20, blank=True)
    terms_accepted_at = models.DateTimeField(_("termos aceites em"), null=True, blank=True)

    class Meta:
        verbose_name = _("utilizador")
        verbose_name_plural = _("utilizadores")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="unique_username_ci"),
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="unique_email_ci"
            ),
        ]
        indexes = [models.Index(fields=["nif"], name="user_nif_idx")]

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords (manual section 4: no reuse)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("password anterior")
        verbose_name_plural = _("passwords anteriores")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class AccountEvent(Event):
    """One line of "Atividade da conta": what happened to the login, when, from where.

    STYLE.md: every state change is an event row. The device is approximate (read from the
    browser's user agent); no IP address is kept, as the user does not need it.
    """

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registo no Balcão Digital")
        EMAIL_CONFIRMED = "email_confirmed", _("E-mail confirmado")
        LOGIN = "login", _("Entrada no Balcão Digital")
        PASSWORD_CHANGED = "password_changed", _("Password alterada")
        PASSWORD_RESET = "password_reset", _("Password definida pela recuperação")
        EMAIL_CHANGED = "email_changed", _("E-mail alterado")
        PROFILE_CHANGED = "profile_changed", _("Perfil alterado")
        SESSIONS_ENDED = "sessions_ended", _("Outras sessões terminadas")
        OTP_ENABLED = "otp_enabled", _("Verificação em dois passos ativada")
        OTP_DISABLED = "otp_disabled", _("Verificação em dois passos desativada")
        LEGACY_IMPORTED = "legacy_imported", _("Conta importada do portal antigo")

    # The account the event is about; ``actor`` (Event) is who acted, when not its holder.
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="events")
    kind = kind_field(Kind.choices)
    device = models.CharField(_("dispositivo"), max_length=80, blank=True)

    class Meta(Event.Meta):
        ordering = ["-at", "-pk"]
        verbose_name = _("evento da conta")
        verbose_name_plural = _("eventos da conta")
        indexes = [models.Index(fields=["user", "-at"], name="account_event_user_at_idx")]


class UserSession(models.Model):
    """Which sessions belong to a user, so that "Terminar as outras sessões" can end them.

    The session store itself (database, cache) keys sessions by an opaque key and knows
    nothing of users; this small table is the index.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=64, unique=True)
    device = models.CharField(_("dispositivo"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sessão")
        verbose_name_plural = _("sessões")

    def __str__(self):
        return f"{self.user_id} {self.device}"
