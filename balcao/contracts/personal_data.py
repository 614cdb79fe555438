"""Os meus dados: the user's contracts in the portal (section "contratos")."""

from balcao.accounts.personal_data import register
from balcao.contracts.models import Subscription


@register("contratos")
def subscriptions_section(user) -> list[dict]:
    """Every subscription (whatever its state); the contract's data only when it is active.

    A subscription that is not active is the user's request, not their contract: it shows
    only what the user typed, so that the export never reveals another customer's data, nor
    whether the numbers typed matched a contract (the status reads as the user sees it).
    """
    rows = []
    subscriptions = Subscription.objects.filter(user=user).select_related(
        "contract__customer", "contract__installation__address"
    )
    for sub in subscriptions.order_by("created_at", "pk"):
        contract = sub.contract if sub.status == Subscription.Status.ACTIVE else None
        rows.append(
            {
                "nome_personalizado": sub.custom_name,
                "estado_no_portal": str(sub.customer_status_label),
                "pedido_em": sub.created_at,
                "ativado_em": sub.activated_at,
                "instalacao_cil": sub.cil,
                "numero_de_cliente": sub.customer_number,
                "numero_de_conta": sub.account_number,
                "numero_de_contrato": contract.contract_number if contract else "",
                "titular": contract.customer.name if contract else "",
                "nif_do_titular": contract.customer.nif if contract else "",
                "plano": str(contract.get_product_display()) if contract else "",
                "tarifa": str(contract.get_tariff_type_display()) if contract else "",
                "data_de_inicio": contract.start_date if contract else None,
                "morada_de_consumo": (
                    "; ".join(contract.installation.address.lines()) if contract else ""
                ),
            }
        )
    return rows
