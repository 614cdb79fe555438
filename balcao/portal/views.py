from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balcao.billing.documents import multibanco_for
from balcao.billing.statements import customer_status, latest_invoice, latest_invoices
from balcao.contracts.access import get_contract_page_subscription
from balcao.contracts.selection import select_contract, selected_subscription, user_subscriptions
from balcao.contracts.selectors import subscriptions_on_their_way, waiting_subscriptions
from balcao.core.redirects import safe_next_url
from balcao.notices.selectors import notices_for_home
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
    return render(
        request,
        "portal/contract_detail.html",
        {"subscription": subscription, "contract": subscription.contract},
    )


@require_POST
def choose_contract(request):
    """The header's selector: remember the contract and go back where the user was."""
    if not select_contract(request, request.POST.get("contract", "")):
        messages.error(request, _("Escolha um dos seus contratos."))
    return redirect(safe_next_url(request, "portal:home"))


@login_not_required
@require_GET
def accessibility(request):
    """Accessibility statement after the EU model (Decreto-Lei 83/2018)."""
    return render(request, "portal/accessibility.html")


@login_not_required
@require_GET
def terms(request):
    return render(request, "portal/terms.html")
