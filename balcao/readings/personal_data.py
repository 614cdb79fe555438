"""Os meus dados: the readings a user communicated, and their reminder switch."""

from balcao.accounts.personal_data import register
from balcao.readings.models import Reading, ReadingReminderPreference


@register("leituras")
def readings_section(user) -> list[dict]:
    """Every reading the user submitted in the portal, with its receipt and status."""
    readings = (
        Reading.objects.filter(submitted_by=user, origin=Reading.Origin.CUSTOMER)
        .select_related("installation", "meter")
        .order_by("taken_on", "created_at", "pk")
    )
    return [
        {
            "comprovativo": r.receipt_number,
            "data": r.taken_on,
            "indice_m3": r.index,
            "instalacao_cil": r.installation.cil,
            "contador": r.meter.serial,
            "estado": r.status_label,
            "registada_em": r.created_at,
        }
        for r in readings
    ]


@register("lembrete_de_leituras")
def reminder_section(user) -> list[dict]:
    preference = ReadingReminderPreference.objects.filter(user=user).first()
    if preference is None:
        return []
    return [{"lembrete_por_email": preference.enabled, "alterado_em": preference.updated_at}]
