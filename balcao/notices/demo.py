"""Demo notices: one to everyone, a planned cut in one Leiria parish, and a few more.

The planned cut is in the parish of Ana's "Casa" (contract 600001), so that her home
page shows it and Bruno's (unless he lives in the same parish) does not.
"""

import datetime
from typing import Any

from django.utils import timezone

from balcao.accounts.models import User
from balcao.contracts.models import Contract
from balcao.core.models import Municipality, Parish
from balcao.notices.models import Notice
from balcao.notices.services import publish_notice


def _at(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def seed(*, rng, today: datetime.date, stdout) -> None:
    clerk = User.objects.filter(username="atendimento").first()
    leiria = Municipality.objects.get(code="1009")
    contracts = {
        contract.contract_number: contract
        for contract in Contract.objects.select_related("installation__address__parish").filter(
            contract_number__in=["600001", "600002", "600003"]
        )
    }
    casa = contracts.get("600001")
    in_force = Parish.objects.filter(municipality=leiria, valid_to__isnull=True).order_by("name")
    cut_parish = (casa.installation.address.parish if casa else None) or in_force.first()
    assert cut_parish is not None, "the territory has parishes"
    other_parish = in_force.exclude(pk=cut_parish.pk).last()
    assert other_parish is not None, "the territory has parishes"
    cut_day = today + datetime.timedelta(days=2)

    notices: list[dict[str, Any]] = [
        {
            "title": "Bem-vindo ao novo Balcão Digital",
            "text": (
                "O Balcão Digital foi renovado: funciona em qualquer navegador e no "
                "telemóvel. Consulte os seus contratos, comunique leituras e faça pedidos "
                "sem sair de casa."
            ),
            "starts_at": _at(today - datetime.timedelta(days=10)),
            "ends_at": _at(today + datetime.timedelta(days=60)),
        },
        {
            "title": f"Corte de água programado — {cut_parish.name}",
            "text": (
                f"Por motivo de obras na rede, o abastecimento de água será interrompido "
                f"no dia {cut_day:%d/%m/%Y}, entre as 9h00 e as 13h00, em parte da "
                f"freguesia de {cut_parish.name}. Pedimos desculpa pelo incómodo.\n"
                "Recomendamos que guarde alguma água para esse período."
            ),
            "starts_at": _at(today),
            "ends_at": _at(cut_day, 13),
            "audience": Notice.Audience.PARISH,
            "parish": cut_parish,
        },
        {
            "title": "Comunique a sua leitura",
            "text": (
                "Comunique a leitura do seu contador no período indicado no seu contrato: "
                "assim a sua fatura corresponde ao que consumiu, sem estimativas."
            ),
            "starts_at": _at(today - datetime.timedelta(days=2)),
            "ends_at": _at(today + datetime.timedelta(days=20)),
            "audience": Notice.Audience.MUNICIPALITY,
            "municipality": leiria,
        },
        {
            "title": "Manutenção do Balcão Digital",
            "text": "O Balcão Digital esteve indisponível durante a noite para manutenção.",
            "starts_at": _at(today - datetime.timedelta(days=40), 20),
            "ends_at": _at(today - datetime.timedelta(days=39), 8),
        },
        {
            "title": f"Lavagem de condutas — {other_parish.name}",
            "text": (
                "Durante a lavagem das condutas a água pode apresentar-se turva. Deixe "
                "correr a torneira durante alguns minutos antes de a consumir."
            ),
            "starts_at": _at(today + datetime.timedelta(days=5)),
            "ends_at": _at(today + datetime.timedelta(days=8)),
            "audience": Notice.Audience.PARISH,
            "parish": other_parish,
        },
    ]
    loja = contracts.get("600002")
    if loja is not None:
        notices.append(
            {
                "title": "Substituição do contador",
                "text": (
                    "O contador da sua instalação vai ser substituído nas próximas semanas, "
                    "no âmbito da renovação do parque de contadores. Será contactado para "
                    "combinar o dia."
                ),
                "starts_at": _at(today - datetime.timedelta(days=1)),
                "ends_at": _at(today + datetime.timedelta(days=30)),
                "audience": Notice.Audience.CONTRACTS,
                "contracts": [loja],
            }
        )
    for notice in notices:
        publish_notice(actor=clerk, **notice)
    stdout.write(f"  avisos: {len(notices)} (um corte programado em {cut_parish.name}).")
