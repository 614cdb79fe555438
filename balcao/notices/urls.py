from django.urls import path

from balcao.notices import views

app_name = "notices"

urlpatterns = [
    path("anteriores/", views.dismissed, name="dismissed"),
    path("<uuid:public_id>/dispensar/", views.dismiss, name="dismiss"),
]
