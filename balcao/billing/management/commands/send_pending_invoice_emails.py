"""``manage.py send_pending_invoice_emails``: the e-mails of invoices and credit notes that
are due (never sent, or failed and due again after their backoff), sent now; an invoice
cancelled by a credit note meanwhile is not sent (its delivery says why). Cron runs it
every few minutes: it is how a failed e-mail is retried when the task backend cannot wait
(docs/billing.md "Delivery"), and how an e-mail left behind by a crash, or by
BILLING_RENDER_PDF off, goes."""

from django.core.management.base import BaseCommand

from balcao.billing.models import InvoiceDelivery
from balcao.billing.services.deliveries import due_email_deliveries, send_invoice_email

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Envia os e-mails de faturas por enviar ou a repetir (fatura eletrónica)."

    def handle(self, *args, **options):
        due = due_email_deliveries()
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        counts = {
            InvoiceDelivery.Status.SENT: 0,
            InvoiceDelivery.Status.FAILED: 0,
            InvoiceDelivery.Status.WITHDRAWN: 0,
        }
        skipped = 0
        for done, invoice_id in enumerate(due, start=1):
            delivery = send_invoice_email(invoice_id)
            if delivery is not None and delivery.status in counts:
                counts[delivery.status] += 1
            else:
                skipped += 1
            self._progress(done, len(due), interactive)
        if interactive and due:
            self.stdout.write("")
        self.stdout.write(
            f"{len(due)} e-mails de faturas por enviar: "
            f"{counts[InvoiceDelivery.Status.SENT]} enviados, "
            f"{counts[InvoiceDelivery.Status.FAILED]} falharam (voltam a ser tentados), "
            f"{counts[InvoiceDelivery.Status.WITHDRAWN]} não enviados (fatura anulada), "
            f"{skipped} já tratados por outro processo."
        )

    def _progress(self, done: int, total: int, interactive: bool) -> None:
        filled = int(done / total * BAR_WIDTH) if total else BAR_WIDTH
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
        if interactive:
            self.stdout.write(f"\r{bar}", ending="")
            self.stdout.flush()
        elif done == total or done % 100 == 0:
            self.stdout.write(bar)
