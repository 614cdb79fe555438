from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from balcao.notices import services
from balcao.notices.access import get_notice_for_user
from balcao.notices.selectors import dismissed_notices_for_user


@require_POST
def dismiss(request, public_id):
    """The home page's "Dispensar": hide this notice for this user (manual 6.1 ii)."""
    notice = get_notice_for_user(request.user, public_id)
    services.dismiss_notice(notice=notice, user=request.user)
    messages.success(
        request, _("A notificação «%(title)s» foi dispensada.") % {"title": notice.title}
    )
    return redirect("portal:home")


@require_GET
def dismissed(request):
    """ "Ver avisos anteriores": the notices the user dismissed, while still in force."""
    return render(
        request, "notices/dismissed.html", {"notices": dismissed_notices_for_user(request.user)}
    )
