from django.urls import path

from balcao.readings import views

app_name = "readings"

urlpatterns = [
    path("", views.index, name="index"),
]
