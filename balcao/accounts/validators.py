"""Password rules for accounts."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The NIF rule lives in core (balcao/core/nif.py); the names stay importable here because
# the first migrations of accounts and contracts refer to balcao.accounts.validators.validate_nif
# (committed migrations are never edited).
from balcao.core.nif import normalize_nif, validate_nif  # noqa: F401


class MaximumLengthValidator:
    """Long passphrases are welcome (NIST 800-63B: at least 64 characters allowed)."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                _("A password pode ter no máximo %(max)d carateres.") % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("No máximo %(max)d carateres.") % {"max": self.max_length}


class PasswordHistoryValidator:
    """Manual section 4: "não deverá alterar a mesma para uma que já tenha usado"."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password

        earlier = [user.password] if user.has_usable_password() else []
        earlier += list(user.password_history.values_list("password", flat=True)[:24])
        if any(check_password(password, encoded) for encoded in earlier if encoded):
            raise ValidationError(
                _("Já usou esta password. Escolha uma que nunca tenha usado."),
                code="password_reused",
            )

    def get_help_text(self):
        return _("Não pode ser uma password que já tenha usado.")


# Django's own rules, with their messages in the portal's words (Portuguese msgids, so
# they do not depend on Django's catalogue, which lacks some of them for pt-PT).
class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Manual section 4: "Mínimo 8 carateres"."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("A password é demasiado curta: tem de ter pelo menos %(min)d carateres.")
                % {"min": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("Pelo menos %(min)d carateres.") % {"min": self.min_length}


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """NIST 800-63B: refuse passwords from lists of common and breached ones."""

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("Esta password é demasiado comum: escolha outra, de preferência uma frase."),
                code="password_too_common",
            ) from None

    def get_help_text(self):
        return _("Não pode ser uma password comum.")


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """ASVS 5.0 V6: not similar to the username, name or e-mail."""

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                _("A password é demasiado parecida com o seu nome de utilizador, nome ou e-mail."),
                code="password_too_similar",
            ) from None

    def get_help_text(self):
        return _("Não pode ser parecida com o seu nome de utilizador, nome ou e-mail.")
