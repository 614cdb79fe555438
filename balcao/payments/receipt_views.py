"""The customer's receipts: the PDF kept when the payment was registered."""

from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from balcao.payments.access import get_receipt_for_user


@require_GET
def receipt_pdf(request, rg_number):
    """Download the receipt (RG). Until the background task has written it, a page that
    says so (409: the receipt exists, its PDF not yet)."""
    receipt = get_receipt_for_user(request.user, rg_number)
    if not receipt.pdf or not receipt.pdf.storage.exists(receipt.pdf.name):
        return render(request, "payments/pdf_pending.html", {"receipt": receipt}, status=409)
    filename = receipt.number.replace(" ", "-").replace("/", "-") + ".pdf"
    return FileResponse(
        receipt.pdf.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
