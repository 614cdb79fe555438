"""Keeping a receipt's PDF: drawn once, after the receipt's transaction commits, then never
drawn again nor overwritten (as billing keeps its invoices': ``billing.services.pdfs``).

``register_payment`` enqueues ``tasks.keep_receipt_pdf_task`` on commit (setting
BILLING_RENDER_PDF, on by default). The file is ``receipts/<year>/<month>/rg-2026a-1.pdf``
in the default storage, written to a temporary name and linked into place.
"""

from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from balcao.billing.services.pdfs import write_once
from balcao.payments.models import Receipt
from balcao.payments.receipt_pdf import render_receipt_pdf


def receipt_pdf_name(receipt: Receipt) -> str:
    """``receipts/2026/11/rg-2026a-1.pdf``: one name per receipt, known in advance."""
    name = slugify(receipt.number.replace("/", " "))
    return f"receipts/{receipt.issue_date:%Y}/{receipt.issue_date:%m}/{name}.pdf"


def keep_receipt_pdf(receipt_id: int) -> Receipt:
    """Draw and keep the receipt's PDF unless it has one; returns the receipt."""
    with transaction.atomic():
        receipt = Receipt.objects.select_for_update().get(pk=receipt_id)
        if receipt.pdf:
            return receipt
        name = receipt_pdf_name(receipt)
        path = Path(default_storage.path(name))
        if not path.exists():
            write_once(path, render_receipt_pdf(receipt))
        # A file already there (an attempt that stopped before saving the field) is kept.
        receipt.pdf.name = name
        receipt.save(update_fields=["pdf"])
    return receipt
