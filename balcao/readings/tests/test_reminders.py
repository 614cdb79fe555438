"""The reminder e-mail when a reading window opens, and the customer's switch for it."""

import datetime

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from balcao.readings.models import Reading, ReadingReminder, ReadingReminderPreference
from balcao.readings.services import send_reading_reminders, set_reminder_preference
from balcao.readings.tests.factories import ReadingFactory


def test_customer_turns_the_reminder_on_and_off(ana_client, ana):
    url = reverse("readings:reminders")
    html = ana_client.get(url).content.decode()
    assert "Quero receber um e-mail quando abrir o período" in html
    response = ana_client.post(url, {"enabled": "on"}, follow=True)
    assert "Vai receber um e-mail quando abrir o período de leituras." in response.content.decode()
    assert ReadingReminderPreference.objects.get(user=ana).enabled
    assert 'name="enabled" id="id_enabled" checked' in ana_client.get(url).content.decode()
    ana_client.post(url, {})
    assert not ReadingReminderPreference.objects.get(user=ana).enabled


def test_command_sends_one_reminder_per_customer_and_window(
    ana, bruno, travel, django_capture_on_commit_callbacks
):
    set_reminder_preference(user=ana, enabled=True)  # bruno did not ask for it
    set_reminder_preference(user=bruno, enabled=False)
    travel(2026, 5, 2, hour=7)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reading_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ana.email]
    assert message.subject == "Já pode comunicar a leitura do contador"
    for contract in ana.subscriptions.all():
        assert contract.contract.contract_number in message.body
        assert reverse("readings:submit", args=[contract.contract.contract_number]) in message.body
    assert "entre 02/05/2026 e 08/05/2026" in message.body
    assert ReadingReminder.objects.filter(user=ana).count() == 2
    # Cron runs again (or later in the window): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reading_reminders")
        travel(2026, 5, 4, hour=7)
        call_command("send_reading_reminders")
    assert len(mail.outbox) == 1


def test_no_reminder_outside_the_window_or_once_read(ana, django_capture_on_commit_callbacks):
    set_reminder_preference(user=ana, enabled=True)
    assert send_reading_reminders(today=datetime.date(2026, 5, 15)) == 0
    casa = ana.subscriptions.get(custom_name="Casa").contract
    ReadingFactory(
        installation=casa.installation,
        taken_on=datetime.date(2026, 6, 2),
        index=5,
        origin=Reading.Origin.CUSTOMER,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reading_reminders(today=datetime.date(2026, 6, 3)) == 1
    body = mail.outbox[0].body
    assert casa.contract_number not in body  # already read this window
    assert ana.subscriptions.get(custom_name="Loja").contract.contract_number in body
