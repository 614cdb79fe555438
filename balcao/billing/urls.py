from django.urls import path

from balcao.billing import views

app_name = "billing"

# "Minhas faturas" itself is portal:invoices (faturas/), the menu's address since the start;
# the invoice's page (billing:invoice) is composed by the portal (balcao/urls.py).
urlpatterns = [
    path("faturas/<invoice:invoice_number>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("simulador-de-fatura/", views.simulator, name="simulator"),
]
