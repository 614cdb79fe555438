"""The error summary is base.html's: one per page, for whatever form has errors, and the title
starts with "Erro:". Each page is driven as the user does: the real form posted with a mistake."""

import datetime
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db


def assert_one_summary(response, link_to=None):
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<title>Erro: ", html), "the title does not start with 'Erro: '"
    assert html.count('class="error-summary"') == 1
    assert html.count("Há um problema") == 1
    if link_to:  # each error links to its field
        summary = html[html.index('class="error-summary"') :]
        summary = summary[: summary.index("</div>")]
        assert f'href="#{link_to}"' in summary
        assert f'id="{link_to}"' in html


def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


def test_registration(client):
    response = client.post(reverse("accounts:register"), {"first_name": ""})
    assert_one_summary(response, link_to="id_first_name")


def test_login(client, ana):
    response = client.post(reverse("accounts:login"), {"username": "ana", "password": "outra"})
    assert_one_summary(response)  # a non-field error: one message, no link


def test_add_contract(ana_client):
    response = ana_client.post(reverse("contracts:add"), {"product": "water_sanitation"})
    assert_one_summary(response, link_to="id_customer_number")


def test_readings(ana_client, ana):
    contract = casa(ana)
    taken_on = datetime.date.today() - datetime.timedelta(days=40)
    ReadingFactory(installation=contract.installation, taken_on=taken_on, index=100)
    url = reverse("readings:submit", args=[contract.contract_number])
    page = ana_client.get(url).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    response = ana_client.post(url, {"index": "abc", "submission_key": key})
    assert_one_summary(response, link_to="id_index")


def test_new_request(ana_client):
    url = reverse("service_requests:new_of_type", args=["complaint"])
    response = ana_client.post(url, {"contract": "", "description": "", "channel": "none"})
    assert_one_summary(response, link_to="id_description")


def test_profile(ana_client):
    response = ana_client.post(reverse("accounts:edit_holder"), {"first_name": "", "nif": "1"})
    assert_one_summary(response, link_to="id_first_name")


def test_two_factor_disable(ana_client, ana):
    """The form the view names disable_form: the summary and the title's prefix all the same."""
    TOTPDevice.objects.create(user=ana, name="default", confirmed=True)
    response = ana_client.post(reverse("accounts:otp_disable"), {"password": "outra coisa"})
    assert_one_summary(response, link_to="id_password")
    assert TOTPDevice.objects.filter(user=ana, confirmed=True).exists()


def test_no_summary_and_no_prefix_without_errors(ana_client):
    html = ana_client.get(reverse("contracts:add")).content.decode()
    assert "<title>Erro:" not in html and "error-summary" not in html
