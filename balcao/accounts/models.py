"""Portal users: the people who sign in, and what the portal itself holds about them.

The profile is the portal's own data (manual section 3): it is not the contract's
holder data, which belongs to the utility's master data (app contracts).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from balcao.accounts.validators import validate_nif


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
