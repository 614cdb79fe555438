"""The section "pedidos" of the customer's data export (RGPD art. 15 and 20)."""

from balcao.accounts.personal_data import register
from balcao.service_requests.models import ServiceRequest
from balcao.service_requests.presentation import change_details


@register("pedidos")
def requests_section(user) -> list[dict]:
    requests = (
        ServiceRequest.objects.filter(user=user)
        .select_related("contract", "new_address")
        .order_by("submitted_at", "number")
    )
    return [
        {
            "numero": service_request.number,
            "tipo": service_request.get_request_type_display(),
            "estado": service_request.get_status_display(),
            "contrato": service_request.contract.contract_number
            if service_request.contract
            else "",
            "submetido": service_request.submitted_at,
            "concluido": service_request.closed_at,
            "descricao": service_request.description,
            "canal_de_resposta": service_request.get_channel_display(),
            "valor_do_contacto": service_request.contact_value,
            "alteracao_pedida": "; ".join(
                f"{label}: {value}" for label, value in change_details(service_request)
            ),
            "resolucao": service_request.resolution,
        }
        for service_request in requests
    ]
