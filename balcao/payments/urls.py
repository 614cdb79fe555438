from django.urls import path

from balcao.payments import request_views as views

app_name = "payments"

# Under the invoice's address (billing:invoice is faturas/<number>/).
urlpatterns = [
    path("faturas/<invoice:invoice_number>/reclamar/", views.contest_invoice, name="contest"),
    path(
        "faturas/<invoice:invoice_number>/prestacoes/",
        views.ask_for_instalments,
        name="instalments",
    ),
]
