"""Keeping an issued document's PDF: drawn once, after the document's transaction commits,
then never drawn again nor overwritten (DOMAIN.md "Invoices": "its PDF is produced once and
kept").

``issue_invoice`` and ``issue_credit_note`` enqueue ``tasks.keep_invoice_pdf_task`` on
commit (setting BILLING_RENDER_PDF, on by default; the billing benchmark turns it off).
The file goes to the default storage (MEDIA_ROOT) at ``invoices/<year>/<month>/<number>.pdf``,
written to a temporary name and linked into place, so a reader never sees half a file and an
existing file is never replaced: a second run (a retried task, two workers) keeps the first.
"""

import os
import tempfile
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from balcao.billing.invoice_pdf import SHEET_RELATED, render_sheet, sheet_for
from balcao.billing.models import Invoice, InvoiceEvent


def pdf_name(invoice: Invoice) -> str:
    """``invoices/2026/11/ft-2026a-1.pdf``: one name per document, known in advance."""
    name = slugify(invoice.number.replace("/", " "))
    return f"invoices/{invoice.issue_date:%Y}/{invoice.issue_date:%m}/{name}.pdf"


def write_once(path: Path, content: bytes) -> bool:
    """Write ``content`` at ``path`` unless a file is there; True when this call wrote it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.link(temporary, path)  # fails if the file exists: never overwritten
    except FileExistsError:
        return False
    finally:
        os.unlink(temporary)
    return True


def keep_invoice_pdf(invoice_id: int) -> Invoice:
    """Draw and keep the document's PDF unless it has one; returns the document."""
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related(*SHEET_RELATED)
            .get(pk=invoice_id)
        )
        if invoice.pdf:
            return invoice
        name = pdf_name(invoice)
        path = Path(default_storage.path(name))
        if not path.exists():
            write_once(path, render_sheet(sheet_for(invoice, loaded=True)))
        # A file already there (an earlier attempt that stopped before saving the field) is
        # the one the document keeps.
        invoice.pdf.name = name
        invoice.save(update_fields=["pdf"])
        InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.PDF, note=name)
    return invoice
