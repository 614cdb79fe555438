from django.urls import path

from balcao.service_requests import views

app_name = "service_requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("novo/", views.new_request, name="new"),
    path("novo/<slug:request_type>/", views.new_request_of_type, name="new_of_type"),
    path(
        "contrato/<contract:contract_number>/<slug:request_type>/",
        views.change_contract,
        name="change",
    ),
    path("<request_number:number>/", views.request_detail, name="detail"),
    path("<request_number:number>/mensagem/", views.add_message, name="message"),
    path("<request_number:number>/retirar/", views.withdraw, name="withdraw"),
    path(
        "<request_number:number>/anexos/<uuid:token>/", views.attachment_download, name="attachment"
    ),
]
