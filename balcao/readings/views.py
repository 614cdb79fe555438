from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def index(request):
    """Not in service yet: the page says so plainly."""
    return render(request, "portal/not_yet.html")
