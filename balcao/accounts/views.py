from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from balcao.accounts.forms import LoginForm


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def login_throttled(request, credentials, *args, **kwargs):
    """django-axes: too many failed attempts for this username from this address."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request)
    message = _(
        "Demasiadas tentativas falhadas. Por segurança, aguarde %(minutes)d minutos e tente "
        "de novo, ou recupere a sua password."
    ) % {"minutes": minutes}
    return render(
        request, "accounts/login.html", {"form": form, "throttled": message}, status=429
    )


def profile(request):
    """O Meu Perfil (manual section 3): not in service yet."""
    return render(request, "portal/not_yet.html")
