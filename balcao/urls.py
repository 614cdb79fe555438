from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

admin.site.site_header = "Balcão Digital — Back office"
admin.site.site_title = "Balcão Digital"
admin.site.index_title = "Trabalho do dia"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("conta/", include("balcao.accounts.urls")),
    path("contratos/", include("balcao.contracts.urls")),
    path("leituras/", include("balcao.readings.urls")),
    path("pedidos/", include("balcao.service_requests.urls")),
    path("avisos/", include("balcao.notices.urls")),
    path("", include("balcao.portal.urls")),
]
