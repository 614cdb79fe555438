"""The customer's own "Desativar" beside "Débito direto" and "Fatura eletrónica" on the
contract page (manual 6.2): a confirmation page, then the change at once, without a clerk.
The routes live in the contracts namespace (balcao/urls.py), beside the contract's page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balcao.billing.mandate_pdf import active_mandate
from balcao.contracts.access import get_subscription_for_user
from balcao.payments.services.cancellations import cancel_direct_debit, cancel_e_invoice


@require_http_methods(["GET", "POST"])
def direct_debit_off(request, contract_number):
    """ "Desativar" the direct debit: the mandate is revoked (the debtor's right)."""
    subscription = get_subscription_for_user(request.user, contract_number)
    contract = subscription.contract
    account = contract.account
    if not account.direct_debit:
        raise Http404("No direct debit on this contract's account.")
    if request.method == "POST":
        cancel_direct_debit(account=account, actor=request.user)
        messages.success(
            request,
            _(
                "O débito direto foi desativado e a autorização revogada. Enviámos-lhe a "
                "confirmação por e-mail; as faturas por pagar mostram agora a referência "
                "Multibanco."
            ),
        )
        return redirect("contracts:detail", contract_number=contract.contract_number)
    return render(
        request,
        "payments/direct_debit_off.html",
        {"subscription": subscription, "contract": contract, "mandate": active_mandate(account)},
    )


@require_http_methods(["GET", "POST"])
def e_invoice_off(request, contract_number):
    """ "Desativar" the e-invoice: the invoices go on paper to the billing address."""
    subscription = get_subscription_for_user(request.user, contract_number)
    contract = subscription.contract
    account = contract.account
    if not account.e_invoice:
        raise Http404("No e-invoice on this contract's account.")
    if request.method == "POST":
        cancel_e_invoice(account=account, actor=request.user)
        messages.success(
            request,
            _(
                "A fatura eletrónica foi desativada: as próximas faturas seguem em papel para a "
                "morada de envio das faturas."
            ),
        )
        return redirect("contracts:detail", contract_number=contract.contract_number)
    return render(
        request,
        "payments/e_invoice_off.html",
        {"subscription": subscription, "contract": contract, "account": account},
    )
