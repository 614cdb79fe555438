"""The customer's requests from an invoice's page: "Reclamar desta fatura" and "Pedir
pagamento em prestações" (issue 13). Both are requests like any other: the requests'
forms and service, the confirmation, then the request's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balcao.billing.access import get_invoice_for_user
from balcao.contracts.access import active_subscription_list
from balcao.core.templatetags.balcao import pt_date
from balcao.payments.forms import InstalmentRequestForm
from balcao.payments.services import invoice_requests
from balcao.service_requests.forms import NewRequestForm
from balcao.service_requests.models import RequestType


def _back_to_invoice(request, invoice, message):
    messages.info(request, message)
    return redirect("billing:invoice", invoice_number=invoice.number)


@require_http_methods(["GET", "POST"])
def contest_invoice(request, invoice_number):
    """ "Reclamar desta fatura": the complaint form of "Novo pedido", about this invoice."""
    invoice = get_invoice_for_user(request.user, invoice_number)
    if not invoice_requests.can_be_contested(invoice):
        return _back_to_invoice(request, invoice, _("Só se reclama de uma fatura em vigor."))
    subscriptions = [
        s for s in active_subscription_list(request.user) if s.contract_id == invoice.contract_id
    ]
    form = NewRequestForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        request_type=RequestType.COMPLAINT,
        subscriptions=subscriptions,
        with_attachments=True,
        initial={
            "contract": invoice.contract.contract_number,
            "description": _("Reclamo da fatura %(number)s, de %(date)s: ")
            % {"number": invoice.number, "date": pt_date(invoice.issue_date)},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_request = invoice_requests.contest_invoice(
                user=request.user,
                invoice=invoice,
                description=form.cleaned_data["description"],
                channel=form.cleaned_data["channel"],
                contact_value=form.cleaned_data["contact_value"],
                attachments=form.cleaned_data.get("attachments") or [],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Reclamação n.º %(number)s submetida. Enquanto a analisamos, esta fatura "
                    "não tem lembretes nem avisos e não é cobrada por débito direto."
                )
                % {"number": service_request.number},
            )
            return redirect("service_requests:detail", number=service_request.number)
    return render(request, "payments/contest.html", {"form": form, "invoice": invoice})


@require_http_methods(["GET", "POST"])
def ask_for_instalments(request, invoice_number):
    """ "Pedir pagamento em prestações": 2 to 12, for an unpaid invoice; a clerk decides."""
    invoice = get_invoice_for_user(request.user, invoice_number)
    if not invoice_requests.can_ask_for_instalments(invoice):
        return _back_to_invoice(request, invoice, _("Esta fatura já não está por pagar."))
    form = InstalmentRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            service_request = invoice_requests.ask_for_instalments(
                user=request.user,
                invoice=invoice,
                instalments=form.cleaned_data["instalments"],
                description=form.cleaned_data["description"],
                channel=form.cleaned_data["channel"],
                contact_value=form.cleaned_data["contact_value"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Pedido n.º %(number)s submetido. Quando for aceite, as prestações e as "
                    "suas referências Multibanco aparecem na página da fatura."
                )
                % {"number": service_request.number},
            )
            return redirect("service_requests:detail", number=service_request.number)
    return render(request, "payments/instalments.html", {"form": form, "invoice": invoice})
