"""The customer's pages: "Meus pedidos", "Novo pedido", a request, and the contract changes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balcao.billing.models import authorisation_text
from balcao.contracts.access import active_subscriptions, get_subscription_for_user
from balcao.core.transitions import TransitionNotAllowed
from balcao.service_requests import forms, services
from balcao.service_requests.access import get_attachment_for_user, get_request_for_user
from balcao.service_requests.models import (
    STRUCTURED_TYPES,
    TYPES_ONLY_FROM_AN_INVOICE,
    TYPES_WITH_ATTACHMENTS,
    TYPES_WITHOUT_CONTRACT,
    Channel,
    RequestEvent,
    RequestType,
)
from balcao.service_requests.presentation import change_details
from balcao.service_requests.selectors import requests_for_user

PAGE_SIZE = 50

CHANGE_FORMS = {
    RequestType.E_INVOICE_ON: forms.EInvoiceOnForm,
    RequestType.E_INVOICE_OFF: forms.EInvoiceOffForm,
    RequestType.DIRECT_DEBIT_ON: forms.DirectDebitForm,
    RequestType.BILLING_ADDRESS: forms.BillingAddressForm,
    RequestType.CONTACT_CHANGE: forms.ContactChangeForm,
    RequestType.TERMINATION: forms.TerminationForm,
}


def _submitted_message(service_request) -> str:
    """The confirmation with the reference number and what happens next (STYLE.md)."""
    number = service_request.number
    if service_request.channel == Channel.EMAIL:
        return _("Pedido n.º %(number)s submetido. Vai receber a resposta por e-mail.") % {
            "number": number
        }
    if service_request.channel == Channel.PHONE:
        return _("Pedido n.º %(number)s submetido. Vamos responder-lhe por telefone.") % {
            "number": number
        }
    return _("Pedido n.º %(number)s submetido. Pode acompanhá-lo em «Meus pedidos».") % {
        "number": number
    }


@require_GET
def request_list(request):
    """ "Meus pedidos" (manual 6.5): every request of the user, newest first."""
    page = Paginator(requests_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "service_requests/list.html", {"page": page})


@require_GET
def new_request(request):
    """ "Novo pedido": the types to choose from (manual 6.5 point 3)."""
    types = [(v, label) for v, label in RequestType.choices if v not in TYPES_ONLY_FROM_AN_INVOICE]
    return render(request, "service_requests/new.html", {"types": types})


@require_http_methods(["GET", "POST"])
def new_request_of_type(request, request_type):
    """The form of one type; a change of the contract first asks which contract."""
    if request_type not in RequestType.values or request_type in TYPES_ONLY_FROM_AN_INVOICE:
        raise Http404("No such request type (a payment plan is asked from its invoice).")
    subscriptions = list(active_subscriptions(request.user))
    if request_type not in TYPES_WITHOUT_CONTRACT and not subscriptions:
        messages.info(
            request, _("Este pedido é sobre um contrato: adicione primeiro o seu contrato.")
        )
        return redirect("service_requests:new")
    if request_type in STRUCTURED_TYPES:
        return _choose_contract(request, request_type, subscriptions)

    label = RequestType(request_type).label
    form = forms.NewRequestForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        request_type=request_type,
        subscriptions=subscriptions,
        with_attachments=request_type in TYPES_WITH_ATTACHMENTS,
        initial={"contract": request.GET.get("contrato", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_request = services.submit_request(
                user=request.user,
                request_type=request_type,
                contract=form.cleaned_data["contract"],
                description=form.cleaned_data["description"],
                channel=form.cleaned_data["channel"],
                contact_value=form.cleaned_data["contact_value"],
                attachments=form.cleaned_data.get("attachments") or [],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _submitted_message(service_request))
            return redirect("service_requests:detail", number=service_request.number)
    return render(
        request,
        "service_requests/new_form.html",
        {"form": form, "type_label": label, "request_type": request_type},
    )


def _choose_contract(request, request_type, subscriptions):
    if len(subscriptions) == 1:
        return redirect(
            "service_requests:change",
            contract_number=subscriptions[0].contract.contract_number,
            request_type=request_type,
        )
    form = forms.ChooseContractForm(request.GET or None, subscriptions=subscriptions)
    if form.is_valid():
        return redirect(
            "service_requests:change",
            contract_number=form.cleaned_data["contrato"],
            request_type=request_type,
        )
    return render(
        request,
        "service_requests/choose_contract.html",
        {"form": form, "type_label": RequestType(request_type).label},
    )


@require_http_methods(["GET", "POST"])
def change_contract(request, contract_number, request_type):
    """A change of the contract as a request (manual 6.2 point 2): nothing changes until the
    customer service accepts it."""
    if request_type not in CHANGE_FORMS:
        raise Http404("Not a contract change.")
    subscription = get_subscription_for_user(request.user, contract_number)
    contract = subscription.contract
    reason = services.change_not_possible(contract, request_type)
    if reason:
        messages.info(request, reason)
        return redirect("contracts:detail", contract.contract_number)

    form_class = CHANGE_FORMS[request_type]
    kwargs = {"user": request.user}
    mandate_text = ""
    if request_type == RequestType.DIRECT_DEBIT_ON:
        mandate_text = authorisation_text(settings.UTILITY["name"])
        kwargs.update(
            authorisation_text=mandate_text,
            place=_("Balcão Digital (%(locality)s)")
            % {"locality": contract.installation.address.postal_locality.title()},
        )
    elif request_type == RequestType.CONTACT_CHANGE:
        kwargs["customer"] = contract.customer
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        new_address = (
            form.save(commit=False) if request_type == RequestType.BILLING_ADDRESS else None
        )
        try:
            service_request = services.submit_request(
                user=request.user,
                request_type=request_type,
                contract=contract,
                description=form.cleaned_data.get("description", ""),
                channel=form.cleaned_data["channel"],
                contact_value=form.cleaned_data["contact_value"],
                payload=form.payload(),
                new_address=new_address,
                submission_key=form.cleaned_data["submission_key"],
            )
        except services.ChangeNotPossible as refusal:
            # The change became impossible since the page was shown (pending, or done).
            messages.info(request, str(refusal.message))
            return redirect("contracts:detail", contract.contract_number)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _submitted_message(service_request))
            return redirect("service_requests:detail", number=service_request.number)
    return render(
        request,
        "service_requests/change_form.html",
        {
            "form": form,
            "subscription": subscription,
            "contract": contract,
            "request_type": request_type,
            "type_label": RequestType(request_type).label,
            "mandate_text": mandate_text,
        },
    )


@require_GET
def request_detail(request, number):
    """One request: its data, and once closed, the utility's resolution (manual 6.5)."""
    service_request = get_request_for_user(request.user, number)
    return _detail(request, service_request, forms.MessageForm())


def _detail(request, service_request, message_form, status=200):
    history = [
        event for event in service_request.events.all() if event.kind != RequestEvent.Kind.NOTIFIED
    ]
    return render(
        request,
        "service_requests/detail.html",
        {
            "service_request": service_request,
            "details": change_details(service_request),
            "history": history,
            "message_form": message_form if service_request.is_open else None,
        },
        status=status,
    )


@require_POST
def add_message(request, number):
    """ "Enviar mensagem" on an open request: it joins the request's history (issue 11,
    item 12)."""
    service_request = get_request_for_user(request.user, number)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        try:
            services.add_message(
                service_request=service_request, user=request.user, text=form.cleaned_data["text"]
            )
        except services.RequestActionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("A sua mensagem foi juntada ao pedido."))
        return redirect("service_requests:detail", number=service_request.number)
    return _detail(request, service_request, form)


@require_http_methods(["GET", "POST"])
def withdraw(request, number):
    """ "Retirar o pedido", with a page to confirm it, while nobody has started it."""
    service_request = get_request_for_user(request.user, number)
    if request.method == "POST":
        try:
            services.withdraw(service_request=service_request, user=request.user)
        except (services.RequestActionError, TransitionNotAllowed):
            messages.error(
                request,
                _(
                    "Este pedido já está a ser tratado e não pode ser retirado. Se já não "
                    "precisa dele, junte uma mensagem ao pedido a dizê-lo."
                ),
            )
        else:
            messages.success(
                request,
                _("O pedido n.º %(number)s foi retirado.") % {"number": service_request.number},
            )
        return redirect("service_requests:detail", number=service_request.number)
    if not service_request.can_be_withdrawn:
        return redirect("service_requests:detail", number=service_request.number)
    return render(request, "service_requests/withdraw.html", {"service_request": service_request})


@require_GET
def attachment_download(request, number, token):
    """An attachment, for its owner or customer-service staff only (404 for anyone else)."""
    attachment = get_attachment_for_user(request.user, number, token)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )
