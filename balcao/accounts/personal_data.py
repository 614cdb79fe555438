"""Os meus dados: all the portal holds about a user, from every app (RGPD art. 15, 20).

Each app may have a ``balcao/<app>/personal_data.py`` that registers its section::

    from balcao.accounts.personal_data import register

    @register("leituras")
    def readings(user) -> list[dict]:
        return [{"data": ..., "indice_m3": ...}, ...]

``collect(user)`` imports every app's module once and returns {section: rows}. Rows are
flat dicts of plain values (str, int, Decimal, date, datetime, bool, None), so the same
data becomes JSON and CSV.
"""

from collections.abc import Callable

from django.utils.module_loading import autodiscover_modules

Section = Callable[[object], list[dict]]
_sections: dict[str, Section] = {}
_discovered = False


def register(section_name: str):
    """Decorator: ``fn(user) -> list[dict]`` is the section ``section_name`` of the export."""

    def decorator(fn: Section) -> Section:
        _sections[section_name] = fn
        return fn

    return decorator


def sections() -> dict[str, Section]:
    global _discovered
    if not _discovered:
        autodiscover_modules("personal_data")
        _discovered = True
    return dict(_sections)


def collect(user) -> dict[str, list[dict]]:
    """Every registered section's rows for this user, in registration order."""
    return {name: list(fn(user)) for name, fn in sections().items()}


# --- The accounts app's own sections ----------------------------------------------


@register("perfil")
def profile_section(user) -> list[dict]:
    address = user.address
    row = {
        "nome_de_utilizador": user.username,
        "nome": user.first_name,
        "apelidos": user.last_name,
        "nif": user.nif,
        "email": user.email,
        "email_confirmado_em": user.email_confirmed_at,
        "contacto_telefonico": user.phone,
        "telemovel": user.mobile,
        "idioma": user.language,
        "registado_em": user.date_joined,
        "ultima_entrada": user.last_login,
        "conta_do_portal_antigo": user.is_legacy,
        "termos_versao": user.terms_version,
        "termos_aceites_em": user.terms_accepted_at,
        "morada": "; ".join(address.lines()) if address else "",
        "distrito": str(address.district) if address else "",
        "concelho": str(address.municipality) if address else "",
        "freguesia": str(address.parish or "") if address else "",
    }
    return [row]


@register("atividade")
def activity_section(user) -> list[dict]:
    return [
        {"quando": event.at, "o_que": str(event.get_kind_display()), "dispositivo": event.device}
        for event in user.events.all()
    ]


@register("verificacao_em_dois_passos")
def two_factor_section(user) -> list[dict]:
    from django_otp import devices_for_user

    return [
        {"dispositivo": device.name, "tipo": type(device).__name__}
        for device in devices_for_user(user, confirmed=True)
    ]
