from django.urls import path

from balcao.payments import views

app_name = "payments"

urlpatterns = [
    path("recibos/<rg:rg_number>/pdf/", views.receipt_pdf, name="receipt_pdf"),
]
