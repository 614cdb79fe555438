from django.urls import path

from balcao.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("contrato-selecionado/", views.choose_contract, name="choose_contract"),
    path("faturas/", views.invoices, name="invoices"),
    path("acessibilidade", views.accessibility, name="accessibility"),
    path("termos-e-condicoes", views.terms, name="terms"),
    path("fatura-eletronica/condicoes", views.e_invoice_terms, name="e_invoice_terms"),
]
