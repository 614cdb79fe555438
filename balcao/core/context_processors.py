from django.conf import settings


def utility(request):
    """The utility's identity, for the header, the footer and e-mails."""
    return {"utility": settings.UTILITY}
