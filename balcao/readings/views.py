"""The customer's reading pages (manual 6.3): communicate, history, consumption, reminders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from balcao.contracts.access import get_subscription_for_user
from balcao.contracts.selection import selected_subscription
from balcao.core.fragments import fragment_key
from balcao.readings import selectors, services
from balcao.readings.access import get_receipt_for_user
from balcao.readings.chart import monthly_chart
from balcao.readings.forms import ReadingForm, ReminderPreferenceForm
from balcao.readings.models import ReadingReminderPreference
from balcao.readings.windows import next_window


@require_GET
def index(request):
    """ "Comunicar leituras" in the menu: the page of the contract chosen in the header."""
    subscription = selected_subscription(request)
    if subscription is not None:
        return redirect("readings:submit", contract_number=subscription.contract.contract_number)
    return render(request, "readings/no_contract.html")


@require_http_methods(["GET", "POST"])
def submit(request, contract_number):
    """Comunicar leitura (manual 6.3 points 1-2): warnings need "Aceito enviar ..."."""
    subscription = get_subscription_for_user(request.user, contract_number)
    contract = subscription.contract
    form = ReadingForm(
        request.POST if request.method == "POST" else None, contract_number=contract_number
    )
    if form.is_valid():
        try:
            outcome = services.submit_reading(
                installation=contract.installation,
                index=form.cleaned_data["index"],
                accepted_warnings=form.accepted_warnings(),
                user=request.user,
                submission_key=form.cleaned_data["submission_key"],
                contract=contract,
            )
        except ValidationError as error:
            form.add_error("index", error)
        else:
            if not outcome.needs_confirmation:
                number = outcome.reading.receipt_number
                messages.success(
                    request,
                    _("Leitura recebida. Comprovativo n.º %(number)s.") % {"number": number},
                )
                return redirect(
                    "readings:receipt", contract_number=contract_number, receipt_number=number
                )
            form = form.confirmation_step(warnings=outcome.warnings, codes=outcome.warning_codes)
    return _submit_page(request, subscription, form)


def _submit_page(request, subscription, form):
    installation = subscription.contract.installation
    today = timezone.localdate()
    window = next_window(installation, today)
    data = selectors.load_installation_readings(
        installation, tariff_type=subscription.contract.tariff_type
    )
    return render(
        request,
        "readings/submit.html",
        {
            "subscription": subscription,
            "installation": installation,
            "window": window,
            "window_open": window.is_open(today),
            "last_reading": data.last_valid_on_current_meter(),
            "meter": data.current_meter,
            "form": form,
            "warnings": form.warnings,
            "tab": "submit",
        },
    )


@require_GET
def receipt(request, contract_number, receipt_number):
    """The reading's receipt and its life-cycle."""
    subscription, reading = get_receipt_for_user(request.user, contract_number, receipt_number)
    return render(
        request,
        "readings/receipt.html",
        {
            "subscription": subscription,
            "reading": reading,
            "events": list(reading.events.all()),
            "below_estimate": selectors.estimate_above(reading),
            "tab": "history",
        },
    )


def _chosen_year(request, years):
    try:
        year = int(request.GET.get("ano", ""))
    except ValueError:
        return years[0]
    return year if year in years else years[0]


@require_GET
def history(request, contract_number):
    """Leituras (manual 6.3 point 3): date, index, consumption, origin and status."""
    subscription = get_subscription_for_user(request.user, contract_number)
    installation = subscription.contract.installation
    meters, years = selectors.meters_and_years(installation, timezone.localdate())
    year = _chosen_year(request, years)
    rows = selectors.reading_history(installation, year, meters=meters)
    number = subscription.contract.contract_number
    return render(
        request,
        "readings/history.html",
        {
            "subscription": subscription,
            "years": years,
            "year": year,
            "rows": rows,
            "tab": "history",
            # The table is rendered once per content (balcao/core/fragments.py).
            "fragment": fragment_key(number, year, rows),
        },
    )


@require_GET
def consumption(request, contract_number):
    """Consumos (manual 6.3 point 4): the year by month, as a chart and as a table."""
    subscription = get_subscription_for_user(request.user, contract_number)
    installation = subscription.contract.installation
    today = timezone.localdate()
    meters, years = selectors.meters_and_years(installation, today)
    year = _chosen_year(request, years)
    months = selectors.consumption_by_month(
        installation, year, today, tariff_type=subscription.contract.tariff_type, meters=meters
    )
    total = sum((m.volume for m in months), start=0)
    days = sum(m.days for m in months)
    litres_per_day = int(total * 1000 / days) if days else 0
    return render(
        request,
        "readings/consumption.html",
        {
            "subscription": subscription,
            "years": years,
            "year": year,
            "months": months,
            "chart": monthly_chart(months),
            "total": total,
            "litres_per_day": litres_per_day,
            "any_estimated": any(m.estimated for m in months),
            "tab": "consumption",
            # The chart and table are rendered once per content (balcao/core/fragments.py).
            "fragment": fragment_key(year, months, total, litres_per_day),
        },
    )


@require_http_methods(["GET", "POST"])
def reminders(request):
    """The switch for the reminder e-mail when a reading window opens."""
    preference = ReadingReminderPreference.objects.filter(user=request.user).first()
    form = ReminderPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"enabled": bool(preference and preference.enabled)},
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["enabled"]
        services.set_reminder_preference(user=request.user, enabled=enabled)
        if enabled:
            messages.success(
                request, _("Vai receber um e-mail quando abrir o período de leituras.")
            )
        else:
            messages.success(request, _("Já não vai receber o lembrete de leituras."))
        return redirect("readings:reminders")
    return render(request, "readings/reminders.html", {"form": form})
