"""Os meus dados: the invoices and credit notes of the user's active contracts."""

from balcao.accounts.personal_data import register
from balcao.billing.access import customer_invoices


@register("faturas")
def invoices_section(user) -> list[dict]:
    """Each document of a contract the user holds in the portal today (an active
    subscription): number, dates, period, amounts and status."""
    documents = (
        customer_invoices(user)
        .select_related("contract")
        .order_by("contract__contract_number", "issue_date", "pk")
    )
    return [
        {
            "numero": document.number,
            "tipo": str(document.get_document_type_display()),
            "contrato": document.contract.contract_number,
            "emitida": document.issue_date,
            "pagar_ate": document.due_date,
            "periodo_inicio": document.period_start,
            "periodo_fim": document.period_end,
            "dias": document.days,
            "consumo_m3": document.water_volume,
            "total_sem_iva": document.net_total,
            "iva": document.vat_total,
            "total": document.gross_total,
            "estado": str(document.get_status_display()),
        }
        for document in documents
    ]
