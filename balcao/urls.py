from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from balcao.billing.urls import app_name as billing_namespace
from balcao.billing.urls import urlpatterns as billing_urlpatterns
from balcao.contracts.urls import app_name as contracts_namespace
from balcao.contracts.urls import urlpatterns as contracts_urlpatterns
from balcao.core.health import health
from balcao.portal.views import (
    contract_detail,
    contract_list,
    invoice_detail,
    mandate,
    mandate_download,
)

admin.site.site_header = _("Balcão Digital — Área dos serviços")
admin.site.site_title = "Balcão Digital"
admin.site.index_title = "Trabalho do dia"

# The contract's page keeps its address and its name (contracts:detail), but its view is the
# portal's: it composes contracts' data with service_requests' change buttons, and contracts
# may not know service_requests (docs/architecture.md).
contracts_urls = [
    path("", contract_list, name="list"),  # with billing's latest invoices, likewise
    *contracts_urlpatterns,
    path("<contract:contract_number>/", contract_detail, name="detail"),
    path("<contract:contract_number>/debito-direto/", mandate, name="mandate"),
    path(
        "<contract:contract_number>/debito-direto/autorizacao.pdf",
        mandate_download,
        name="mandate_pdf",
    ),
]

# The invoice's page keeps its name (billing:invoice) likewise: the portal composes billing's
# document with payments' state of it (receipts, returned debits, reminders, instalments).
billing_urls = [
    path("faturas/<invoice:invoice_number>/", invoice_detail, name="invoice"),
    *billing_urlpatterns,
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("saude", health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("conta/", include("balcao.accounts.urls")),
    path("contratos/", include((contracts_urls, contracts_namespace))),
    path("leituras/", include("balcao.readings.urls")),
    path("pedidos/", include("balcao.service_requests.urls")),
    path("avisos/", include("balcao.notices.urls")),
    path("", include((billing_urls, billing_namespace))),
    path("", include("balcao.payments.urls")),
    path("", include("balcao.portal.urls")),
]
