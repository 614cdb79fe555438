"""Os meus contratos (manual 6.2) and Adicionar um contrato (manual section 2)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balcao.contracts import services
from balcao.contracts.access import (
    get_subscription_for_user,
    get_subscription_request_for_user,
)
from balcao.contracts.forms import ActivationCodeForm, AddContractForm, RenameForm


@require_http_methods(["GET", "POST"])
def add_contract(request):
    """Adicionar um contrato → "Enviar para avaliação" (manual section 2, point 2)."""
    form = AddContractForm(request.POST or None, user=request.user)
    if form.is_valid():
        try:
            subscription = services.submit_subscription(user=request.user, **form.cleaned_data)
        except services.SubscriptionRuleError as error:
            form.add_error(None, str(error))
            return render(request, "contracts/add.html", {"form": form})
        # The same words whether or not the numbers matched a contract.
        messages.success(
            request,
            _(
                "O seu pedido foi enviado para avaliação. Vai receber o código de ativação "
                "por e-mail ou por carta."
            ),
        )
        return redirect("contracts:request", reference=subscription.reference)
    return render(request, "contracts/add.html", {"form": form})


@require_GET
def request_detail(request, reference):
    """One request to add a contract: its status, and where to type the letter's code."""
    subscription = get_subscription_request_for_user(request.user, reference)
    if subscription.status == subscription.Status.ACTIVE:
        return redirect("contracts:detail", contract_number=subscription.contract.contract_number)
    return render(request, "contracts/request.html", _request_context(subscription))


def _request_context(subscription, form=None):
    can_type_code = subscription.waits_for_letter
    by_email = (
        subscription.status == subscription.Status.AWAITING_ACTIVATION
        and subscription.activation_channel == subscription.Channel.EMAIL
    )
    # "Pedir nova carta" only when it can be used; until then, from when (counted the same
    # whether or not the numbers matched a contract).
    new_letter_at = None
    if can_type_code or subscription.status == subscription.Status.LOCKED:
        new_letter_at = services.next_letter_allowed_at(subscription)
    can_ask_letter = new_letter_at is not None and timezone.now() >= new_letter_at
    return {
        "subscription": subscription,
        "form": form or (ActivationCodeForm() if can_type_code else None),
        "can_type_code": can_type_code,
        "can_ask_new_code": by_email or can_ask_letter,
        "new_letter_from": None if can_ask_letter else new_letter_at,
    }


@require_http_methods(["GET", "POST"])
def activate_code(request, reference):
    """ "Código de ativação" → "Validar" (manual section 2, point 3b)."""
    subscription = get_subscription_request_for_user(request.user, reference)
    if request.method == "GET":
        return redirect("contracts:request", reference=reference)
    form = ActivationCodeForm(request.POST)
    if form.is_valid():
        result = services.activate_by_code(
            subscription=subscription, code=form.cleaned_data["code"], user=request.user
        )
        subscription = result.subscription
        outcome = result.outcome
        if outcome is services.Outcome.ACTIVATED:
            return _activated(request, subscription)
        if outcome is services.Outcome.WRONG:
            form.add_error(
                "code",
                _(
                    "O código de ativação não está certo. Confirme-o na carta: pode tentar "
                    "mais %(n)d vezes."
                )
                % {"n": result.attempts_left},
            )
        elif outcome is services.Outcome.EXPIRED:
            form.add_error(
                "code",
                _("Este código de ativação já expirou. Peça uma nova carta abaixo."),
            )
        elif outcome is services.Outcome.LOCKED:
            messages.error(
                request,
                _(
                    "Depois de 5 tentativas erradas este pedido ficou bloqueado. Pode pedir "
                    "uma nova carta com um novo código."
                ),
            )
            return redirect("contracts:request", reference=reference)
        else:
            return redirect("contracts:request", reference=reference)
    return render(request, "contracts/request.html", _request_context(subscription, form))


@require_POST
def request_code(request, reference):
    """ "Pedir nova carta" (once a week), or a new e-mail link."""
    subscription = get_subscription_request_for_user(request.user, reference)
    try:
        allowed_at = services.request_new_code(subscription=subscription, user=request.user)
    except services.SubscriptionRuleError as error:
        messages.error(request, str(error))
        return redirect("contracts:request", reference=reference)
    if allowed_at is not None:
        messages.error(
            request,
            _("Só pode pedir um novo código a partir de %(when)s.")
            % {"when": date_format(timezone.localtime(allowed_at), "d/m/Y H:i")},
        )
    elif subscription.activation_channel == subscription.Channel.EMAIL:
        messages.success(request, _("Enviámos uma nova ligação de ativação para o seu e-mail."))
    else:
        messages.success(
            request,
            _(
                "Pedido registado. Se os dados corresponderem a um contrato, vai receber uma "
                "nova carta com o código de ativação na morada de correspondência do contrato."
            ),
        )
    return redirect("contracts:request", reference=reference)


@require_GET
def activate_link(request, token):
    """The e-mail's link (manual section 2, point 3a); the user must be signed in as themself."""
    result = services.activate_by_link(user=request.user, token=token)
    if result is None:
        raise Http404("Unknown activation link.")
    if result.outcome is services.Outcome.ACTIVATED:
        return _activated(request, result.subscription)
    if result.outcome is services.Outcome.USED and result.subscription.status == "active":
        return redirect(
            "contracts:detail", contract_number=result.subscription.contract.contract_number
        )
    messages.error(
        request,
        _("Esta ligação de ativação já não é válida. Peça uma nova ligação abaixo."),
    )
    return redirect("contracts:request", reference=result.subscription.reference)


def _activated(request, subscription):
    messages.success(request, _("Contrato ativado com sucesso"))
    if subscription.status != subscription.Status.ACTIVE:
        return redirect("contracts:list")
    return redirect("contracts:detail", contract_number=subscription.contract.contract_number)


@require_http_methods(["GET", "POST"])
def rename_contract(request, contract_number):
    """Change the custom name ("Nome personalizado")."""
    subscription = get_subscription_for_user(request.user, contract_number)
    form = RenameForm(request.POST or None, instance=subscription)
    if form.is_valid():
        services.rename_subscription(
            subscription=subscription,
            custom_name=form.cleaned_data["custom_name"],
            user=request.user,
        )
        messages.success(request, _("Nome personalizado alterado."))
        return redirect("contracts:detail", contract_number=contract_number)
    return render(
        request,
        "contracts/rename.html",
        {"form": form, "subscription": subscription, "contract": subscription.contract},
    )


@require_http_methods(["GET", "POST"])
def remove_contract(request, contract_number):
    """ "Remover contrato": off this user's portal; the contract itself is untouched."""
    subscription = get_subscription_for_user(request.user, contract_number)
    if request.method == "POST":
        services.remove_subscription(subscription=subscription, user=request.user)
        messages.success(
            request,
            _("O contrato %(name)s foi removido do seu Balcão Digital.")
            % {"name": subscription.custom_name},
        )
        return redirect("contracts:list")
    return render(
        request,
        "contracts/remove.html",
        {"subscription": subscription, "contract": subscription.contract},
    )


@require_http_methods(["GET", "POST"])
def cancel_request(request, reference):
    """Withdraw a request that is still open, or clear a rejected one from the list."""
    subscription = get_subscription_request_for_user(request.user, reference)
    if subscription.status == subscription.Status.ACTIVE:
        raise Http404("Active subscriptions are removed from the contract page.")
    if request.method == "POST":
        services.remove_subscription(subscription=subscription, user=request.user)
        messages.success(request, _("O pedido foi retirado."))
        return redirect("contracts:list")
    return render(request, "contracts/cancel.html", {"subscription": subscription})
