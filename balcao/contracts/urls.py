from django.urls import path

from balcao.contracts import views

app_name = "contracts"

urlpatterns = [
    # "" (name "list"), Os meus contratos, shows billing's latest invoices: composed by portal,
    # balcao/urls.py adds it to this namespace.
    path("adicionar/", views.add_contract, name="add"),
    # The e-mail's link: the token is the only thing in the URL, and only its digest is stored.
    path("ativar/<token:token>/", views.activate_link, name="activate"),
    # A request to add a contract, by its random reference (never a guessable id).
    path("pedidos/<uuid:reference>/", views.request_detail, name="request"),
    path("pedidos/<uuid:reference>/codigo/", views.activate_code, name="activate_code"),
    path("pedidos/<uuid:reference>/novo-codigo/", views.request_code, name="request_code"),
    path("pedidos/<uuid:reference>/retirar/", views.cancel_request, name="cancel"),
    # "<contract:contract_number>/" (name "detail"), the contract's page, is composed by portal
    # with service_requests' change buttons: balcao/urls.py adds it to this namespace.
    path("<contract:contract_number>/nome/", views.rename_contract, name="rename"),
    path("<contract:contract_number>/remover/", views.remove_contract, name="remove"),
]
