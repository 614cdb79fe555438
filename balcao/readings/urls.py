from django.urls import path

from balcao.readings import views

app_name = "readings"

urlpatterns = [
    path("", views.index, name="index"),
    path("lembretes/", views.reminders, name="reminders"),
    path("<str:contract_number>/", views.submit, name="submit"),
    path("<str:contract_number>/leituras/", views.history, name="history"),
    path("<str:contract_number>/consumos/", views.consumption, name="consumption"),
    path(
        "<str:contract_number>/comprovativo/<str:receipt_number>/",
        views.receipt,
        name="receipt",
    ),
]
