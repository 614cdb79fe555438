from django.urls import path

from balcao.service_requests import views

app_name = "service_requests"

urlpatterns = [
    path("", views.index, name="list"),
]
