"""The portal's URLs plus /bench/bare: the baseline, behind the same middleware and login."""

from django.http import HttpResponse
from django.urls import path

from balcao.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *portal_urlpatterns]
