from django.urls import path

from balcao.billing import views

app_name = "billing"

# "Minhas faturas" itself is portal:invoices (faturas/), the menu's address since the start.
urlpatterns = [
    path("faturas/<invoice:invoice_number>/", views.invoice_detail, name="invoice"),
    path("faturas/<invoice:invoice_number>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("simulador-de-fatura/", views.simulator, name="simulator"),
]
