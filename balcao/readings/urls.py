from django.urls import path

from balcao.readings import views

app_name = "readings"

urlpatterns = [
    path("", views.index, name="index"),
    path("lembretes/", views.reminders, name="reminders"),
    path("<contract:contract_number>/", views.submit, name="submit"),
    path("<contract:contract_number>/leituras/", views.history, name="history"),
    path("<contract:contract_number>/consumos/", views.consumption, name="consumption"),
    path(
        "<contract:contract_number>/comprovativo/<receipt:receipt_number>/",
        views.receipt,
        name="receipt",
    ),
]
