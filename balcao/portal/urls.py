from django.urls import path

from balcao.billing.views import invoice_list
from balcao.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("contrato-selecionado/", views.choose_contract, name="choose_contract"),
    # Minhas faturas is billing's page under the menu's first name.
    path("faturas/", invoice_list, name="invoices"),
    path("acessibilidade", views.accessibility, name="accessibility"),
    path("termos-e-condicoes", views.terms, name="terms"),
    path("fatura-eletronica/condicoes", views.e_invoice_terms, name="e_invoice_terms"),
]
