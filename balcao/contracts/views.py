from django.shortcuts import render
from django.views.decorators.http import require_GET

from balcao.contracts.access import active_subscriptions


@require_GET
def contract_list(request):
    """Os meus contratos (manual 6.2)."""
    return render(
        request,
        "contracts/list.html",
        {"subscriptions": active_subscriptions(request.user)},
    )
