"""Accounts of the old portal (manual section 5): imported, then set up by the reset flow."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from balcao.accounts.models import AccountEvent, User
from balcao.core.nif import normalize_nif, validate_nif


@transaction.atomic
def create_legacy_account(*, username: str, email: str, nif: str, name: str) -> User:
    """Create the account of an old-portal user (manual section 5).

    "Se já for Utilizador do Balcão Digital, antigo, apenas necessita de fazer o Login
    normal [...] os contratos associados ao seu NIF serão migrados automaticamente."
    The account has no usable password (its owner sets one through "Esqueceu-se da
    Palavra-Chave?", never a password sent by mail); its e-mail counts as confirmed, since
    the utility had it. The NIF's contracts are attached by the caller,
    balcao.contracts.services.legacy.import_legacy_account (the entry point).
    Raises ValidationError for a bad NIF, e-mail or username, or one already taken.
    """
    nif = normalize_nif(nif)
    validate_nif(nif, allow_obsolete=True)
    first_name, _, last_name = " ".join(name.split()).partition(" ")
    user = User(
        username=username.strip(),
        email=email.strip(),
        nif=nif,
        first_name=first_name,
        last_name=last_name,
        is_legacy=True,
        email_confirmed_at=timezone.now(),
    )
    user.set_unusable_password()
    # The model's NIF validator refuses the obsolete prefix 8 that old records may carry.
    user.full_clean(exclude=["password", "nif"])
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": "username already exists"})
    if User.objects.filter(email__iexact=user.email).exists():
        raise ValidationError({"email": "e-mail already exists"})
    user.save()
    AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.LEGACY_IMPORTED)
    return user
