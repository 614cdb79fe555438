"""The customer's invoice pages (manual 6.4) and the public bill simulator."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from balcao.billing import statements
from balcao.billing.access import get_invoice_for_user
from balcao.billing.chart import yearly_chart
from balcao.billing.computation import TariffError, compute_bill
from balcao.billing.documents import multibanco_for, vat_summary_of
from balcao.billing.forms import SimulatorForm
from balcao.billing.selectors import tariff_in_force
from balcao.contracts.selection import selected_subscription, show_contract_on_page
from balcao.core.fragments import fragment_key
from balcao.core.money import format_euros


def _chosen_year(request, years: list[int]) -> int:
    try:
        year = int(request.GET.get("ano", ""))
    except ValueError:
        return years[0]
    return year if year in years else years[0]


@require_GET
def invoice_list(request):
    """Minhas faturas (manual 6.4): the chosen year's amounts by month (a chart and the same
    numbers in a table), then its documents by month, for the contract in the header."""
    subscription = selected_subscription(request)
    if subscription is None:
        return render(request, "billing/invoices.html", {"subscription": None})
    contract = subscription.contract
    today = timezone.localdate()
    years = statements.invoice_years(contract, today)
    year = _chosen_year(request, years)
    documents = statements.documents_of_year(contract, year)
    months = statements.monthly_amounts(documents)
    rows = [
        {
            "invoice": document,
            "month": statements.month_name(document.issue_date),
            "status": statements.customer_status(document, today),
        }
        for document in documents
    ]
    total = sum((m.amount for m in months), start=statements.ZERO)
    return render(
        request,
        "billing/invoices.html",
        {
            "subscription": subscription,
            "years": years,
            "year": year,
            "rows": rows,
            "months": months,
            "chart": yearly_chart(months),
            "total": total,
            # The chart and the tables are rendered once per content (core/fragments.py):
            # the rows carry each document's columns and its status as of today.
            "fragment": fragment_key(year, rows, months, total),
        },
    )


def invoice_page_context(
    request, invoice_number: str, annotations: Mapping[str, Any] | None = None
) -> dict:
    """What the invoice's page shows of the document (the portal's invoice_detail adds how
    it is being paid): each line's calculation, the VAT, why it differs from the previous
    one, and how to pay it while it is open. 404 unless the invoice is the user's.

    One query for the invoice, the previous invoice (one JSON column) and the caller's
    ``annotations`` (payments' state of it, read by the portal); the lines and readings
    come from the cache (``statements.invoice_parts``)."""
    invoice = get_invoice_for_user(
        request.user,
        invoice_number,
        {**statements.previous_invoice_annotations(), **(annotations or {})},
    )
    show_contract_on_page(request, invoice.contract.contract_number)
    lines, readings = statements.invoice_parts(invoice)
    previous = statements.annotated_previous_invoice(invoice)
    today = timezone.localdate()
    return {
        "invoice": invoice,
        "status": statements.customer_status(invoice, today),
        "lines": statements.explained_lines(invoice, lines),
        "vat_summary": vat_summary_of(lines),
        "readings": readings,
        "volume": statements.format_m3(invoice.water_volume),
        "why": statements.why_different(invoice, previous),
        "multibanco": multibanco_for(invoice),
    }


@require_GET
def invoice_pdf(request, invoice_number):
    """Download Fatura: the PDF kept at issue. Until the background task has written it,
    a page that says so (409: the document exists, its PDF not yet)."""
    invoice = get_invoice_for_user(request.user, invoice_number)
    if not invoice.pdf or not invoice.pdf.storage.exists(invoice.pdf.name):
        return render(request, "billing/pdf_pending.html", {"invoice": invoice}, status=409)
    filename = invoice.number.replace(" ", "-").replace("/", "-") + ".pdf"
    return FileResponse(
        invoice.pdf.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


@login_not_required
@require_GET
def simulator(request):
    """Simulador de fatura: the bill of a consumption with today's tariff, line by line."""
    bound = "consumption" in request.GET
    form = SimulatorForm(request.GET if bound else None)
    result = None
    if bound and form.is_valid():
        data = form.cleaned_data
        today = timezone.localdate()
        tariff = tariff_in_force(data["tariff_type"], today)
        if tariff is None:
            form.add_error("tariff_type", _no_tariff_message())
        else:
            try:
                computation = compute_bill(
                    tariff.to_data(),
                    water_volume=data["consumption"],
                    days=data["days"],
                    tariff_type=data["tariff_type"],
                    household_size=data.get("household_size"),
                )
            except TariffError:
                form.add_error(None, _no_tariff_message())
            else:
                result = {
                    "computation": computation,
                    "tariff": tariff,
                    "lines": [
                        {
                            "line": line,
                            "description": line.description(),
                            "quantity": statements.format_m3(line.quantity),
                            "price": statements.format_unit_price(line.unit_price),
                        }
                        for line in computation.lines
                    ],
                    "total": format_euros(computation.gross_total),
                }
    return render(request, "billing/simulator.html", {"form": form, "result": result})


def _no_tariff_message() -> str:
    return _("Não há um tarifário em vigor para esta tarifa. Escolha outra tarifa.")
