"""Os meus dados (download as JSON or CSV) and Encerrar conta (RGPD art. 15, 17, 20)."""

import csv
import io
import json
import zipfile

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from balcao.accounts import forms, personal_data, services


@require_GET
def my_data(request):
    return render(request, "accounts/my_data.html")


def _filename(request, extension: str) -> str:
    return f"os-meus-dados-{request.user.username}-{timezone.localdate():%Y%m%d}.{extension}"


@require_GET
def export_json(request):
    """Everything, one JSON object with one list of rows per section."""
    data = {
        "exportado_em": timezone.now(),
        "seccoes": personal_data.collect(request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "json")}"'
    return response


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("sim") if value else _("não")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@require_GET
def export_csv(request):
    """A zip with one CSV file per section (UTF-8 with BOM, comma-separated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section, rows in personal_data.collect(request.user).items():
            text = io.StringIO()
            columns = list(dict.fromkeys(key for row in rows for key in row))
            writer = csv.DictWriter(text, fieldnames=columns or ["(sem dados)"])
            writer.writeheader()
            for row in rows:
                writer.writerow({key: _csv_value(value) for key, value in row.items()})
            archive.writestr(f"{section}.csv", "\ufeff" + text.getvalue())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "zip")}"'
    return response


@require_http_methods(["GET", "POST"])
def close_account(request):
    """Encerrar conta: after the password, the login and the profile are removed."""
    form = forms.ConfirmPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.close_account(user=user)
        messages.success(
            request,
            _(
                "A sua conta no Balcão Digital foi encerrada e os seus dados de perfil "
                "apagados. Os contratos e as faturas continuam com os serviços."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/close_account.html", {"form": form})
