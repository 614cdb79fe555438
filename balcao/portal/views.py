from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balcao.billing.documents import multibanco_for
from balcao.billing.mandate_pdf import active_mandate, mandate_pdf
from balcao.billing.statements import customer_status, latest_invoice, latest_invoices
from balcao.billing.views import invoice_page_context
from balcao.contracts.access import get_contract_page_subscription, get_subscription_for_user
from balcao.contracts.selection import (
    QUERY_PARAMETER,
    select_contract,
    selected_subscription,
    user_subscriptions,
)
from balcao.contracts.selectors import subscriptions_on_their_way, waiting_subscriptions
from balcao.core.redirects import safe_next_url
from balcao.notices.selectors import notices_for_home
from balcao.payments.selectors import invoice_payment_annotations, invoice_payment_context
from balcao.service_requests.selectors import latest_request_for_user

# How many notices the summary lists at most (newest first); a dismissed one makes room.
HOME_NOTICES = 10


@require_GET
def home(request):
    """Início / Resumo (manual 6.1) for the contract chosen in the header.

    Última fatura (with the Multibanco box while unpaid and not by direct debit),
    Notificações, Último pedido; without a contract, the call to add one and the
    subscriptions still waiting.
    """
    subscription = selected_subscription(request)
    contract = subscription.contract if subscription else None
    waiting = subscriptions_on_their_way(request.user) if subscription is None else []
    invoice = latest_invoice(contract) if contract else None
    context = {
        "subscription": subscription,
        "invoice": invoice,
        "invoice_status": customer_status(invoice, timezone.localdate()) if invoice else "",
        "multibanco": multibanco_for(invoice) if invoice else None,
        "notices": notices_for_home(request.user, limit=HOME_NOTICES),
        "latest_request": latest_request_for_user(request.user, contract=contract),
        "waiting_subscriptions": waiting,
    }
    return render(request, "portal/home.html", context)


@require_GET
def contract_list(request):
    """Os meus contratos (manual 6.2): active contracts with their latest invoice (billing's,
    one query for all), then the requests still open. Composed here: contracts may not know
    billing; the route keeps its name contracts:list (balcao/urls.py)."""
    subscriptions = user_subscriptions(request)  # the header's query, shared
    invoices = latest_invoices(s.contract_id for s in subscriptions)
    today = timezone.localdate()
    for subscription in subscriptions:
        invoice = invoices.get(subscription.contract_id)
        subscription.last_invoice = invoice
        subscription.last_invoice_status = customer_status(invoice, today) if invoice else ""
    return render(
        request,
        "contracts/list.html",
        {"subscriptions": subscriptions, "waiting": waiting_subscriptions(request.user)},
    )


@require_GET
def contract_detail(request, contract_number):
    """Detalhes do contrato (manual 6.2): product, holder and payment data, with the change
    buttons of service_requests beside them. Composed here, where both apps are known; the
    route keeps its name contracts:detail (balcao/urls.py puts it in that namespace).
    """
    subscription = get_contract_page_subscription(request.user, contract_number)
    contract = subscription.contract
    return render(
        request,
        "portal/contract_detail.html",
        {
            "subscription": subscription,
            "contract": contract,
            "mandate": active_mandate(contract.account) if contract.account.direct_debit else None,
        },
    )


@require_GET
def invoice_detail(request, invoice_number):
    """The invoice's summary (billing's document) with how it is being paid (payments):
    composed here, where both apps are known; the route keeps its name billing:invoice.
    Payments' state of the invoice is read as columns of billing's query of it."""
    context = invoice_page_context(request, invoice_number, invoice_payment_annotations())
    context.update(invoice_payment_context(context["invoice"], timezone.localdate()))
    return render(request, "portal/invoice.html", context)


def _mandate_for(user, contract_number):
    """The direct debit mandate in force on the user's contract's account, or 404."""
    subscription = get_subscription_for_user(user, contract_number)
    mandate = active_mandate(subscription.contract.account)
    if mandate is None:
        raise Http404("No direct debit mandate in force.")
    return subscription, mandate


@require_GET
def mandate(request, contract_number):
    """ "Autorização de débito direto": the mandate in force, as signed (issue 11, item 5)."""
    subscription, mandate = _mandate_for(request.user, contract_number)
    return render(
        request,
        "portal/mandate.html",
        {"subscription": subscription, "contract": subscription.contract, "mandate": mandate},
    )


@require_GET
def mandate_download(request, contract_number):
    """The signed mandate as a PDF, for the customer's records."""
    _subscription, mandate = _mandate_for(request.user, contract_number)
    response = HttpResponse(mandate_pdf(mandate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="autorizacao-{mandate.reference}.pdf"'
    return response


@require_POST
def choose_contract(request):
    """The header's selector: remember the contract and go back where the user was.

    A page about one contract (its detail, Consumos, …) is the same page for the chosen
    contract: reloading the old one under the new name in the header would show one
    contract's data as another's (issue 11, item 1).
    """
    number = request.POST.get("contract", "")
    if not select_contract(request, number):
        messages.error(request, _("Escolha um dos seus contratos."))
        return redirect(safe_next_url(request, "portal:home"))
    return redirect(_same_page_for_contract(safe_next_url(request, "portal:home"), number))


def _same_page_for_contract(url: str, contract_number: str) -> str:
    """``url`` with its contract number replaced by ``contract_number``; a page of one object
    of the old contract (a reading's receipt) becomes the new contract's detail."""
    parts = urlsplit(url)
    if QUERY_PARAMETER in parse_qs(parts.query):
        # A page opened from the contract's tabs (?contrato=): the same page, for the new one.
        query = [
            (key, contract_number if key == QUERY_PARAMETER else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        parts = parts._replace(query=urlencode(query))
        url = urlunsplit(parts)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return url
    if "invoice_number" in match.kwargs:  # an invoice of the old contract: the new one's list
        return reverse("portal:invoices")
    if "contract_number" not in match.kwargs:
        return url
    others = set(match.kwargs) - {"contract_number", "request_type"}
    if others:
        return reverse("contracts:detail", kwargs={"contract_number": contract_number})
    path = reverse(match.view_name, kwargs={**match.kwargs, "contract_number": contract_number})
    return urlunsplit(("", "", path, parts.query, ""))


@login_not_required
@require_GET
def accessibility(request):
    """Accessibility statement after the EU model (Decreto-Lei 83/2018)."""
    return render(request, "portal/accessibility.html")


@login_not_required
@require_GET
def terms(request):
    return render(request, "portal/terms.html")


@login_not_required
@require_GET
def e_invoice_terms(request):
    """The conditions of the e-invoice, which "Ativação da fatura eletrónica" asks to accept."""
    return render(request, "portal/e_invoice_terms.html")
