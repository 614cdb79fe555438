from django.urls import path

from balcao.payments import receipt_views, request_views

app_name = "payments"

urlpatterns = [
    # Under the invoice's address (billing:invoice is faturas/<number>/).
    path(
        "faturas/<invoice:invoice_number>/reclamar/",
        request_views.contest_invoice,
        name="contest",
    ),
    path(
        "faturas/<invoice:invoice_number>/prestacoes/",
        request_views.ask_for_instalments,
        name="instalments",
    ),
    path("recibos/<rg:rg_number>/pdf/", receipt_views.receipt_pdf, name="receipt_pdf"),
]
