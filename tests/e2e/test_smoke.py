"""The harness itself: the login page renders in Chromium and passes axe."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible(page, assert_accessible):
    page.goto("/conta/entrar/")
    assert page.get_by_role("heading", level=1).inner_text() == "Entrar no Balcão Digital"
    assert_accessible(page)


def test_customer_signs_in_and_sees_the_navigation(page, login, assert_accessible, ana):
    login(page, ana)
    navigation = page.get_by_role("navigation", name="Navegação principal")
    expect(navigation.get_by_role("link", name="Os meus contratos")).to_be_visible()
    assert_accessible(page)
