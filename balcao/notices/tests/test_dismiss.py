"""A customer dismisses a notice on the home page ("Dispensar"): hidden for them only."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from balcao.notices.models import Notice, NoticeDismissal
from balcao.notices.tests.factories import NoticeFactory


def dismiss_url(html: str, notice: Notice) -> str:
    """The action of the notice's "Dispensar" form, as the home page renders it."""
    action = reverse("notices:dismiss", kwargs={"public_id": notice.public_id})
    assert re.search(rf'<form method="post" action="{re.escape(action)}">', html)
    return action


def test_dismissing_hides_the_notice_for_that_user(ana_client, ana, bruno):
    notice = NoticeFactory(title="Obras na Rua Direita", text="Trânsito condicionado.")
    home = ana_client.get(reverse("portal:home")).content.decode()
    assert "Obras na Rua Direita" in home and "Dispensar" in home

    response = ana_client.post(dismiss_url(home, notice), follow=True)

    assert response.redirect_chain == [(reverse("portal:home"), 302)]
    html = response.content.decode()
    assert "A notificação «Obras na Rua Direita» foi dispensada." in html
    assert "Trânsito condicionado." not in html
    assert "Não há notificações." in html
    assert NoticeDismissal.objects.get().user == ana
    assert list(NoticeDismissal.objects.filter(user=bruno)) == []


def test_dismissing_twice_is_harmless(ana_client, ana):
    notice = NoticeFactory()
    url = reverse("notices:dismiss", kwargs={"public_id": notice.public_id})
    assert ana_client.post(url).status_code == 302
    assert ana_client.post(url).status_code == 302  # a double click
    assert NoticeDismissal.objects.filter(notice=notice, user=ana).count() == 1


def test_a_notice_not_addressed_to_the_user_answers_404(ana_client, bruno):
    brunos = NoticeFactory(
        audience=Notice.Audience.CONTRACTS, contracts=[bruno.subscriptions.get().contract]
    )
    response = ana_client.post(reverse("notices:dismiss", kwargs={"public_id": brunos.public_id}))
    assert response.status_code == 404
    assert not NoticeDismissal.objects.exists()


@pytest.mark.django_db
def test_an_ended_or_unknown_notice_answers_404(ana_client):
    import datetime

    from django.utils import timezone

    ended = NoticeFactory(
        starts_at=timezone.now() - datetime.timedelta(days=9),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    for public_id in (ended.public_id, "5d1c3e44-0000-4000-8000-000000000000"):
        url = reverse("notices:dismiss", kwargs={"public_id": public_id})
        assert ana_client.post(url).status_code == 404
    assert not NoticeDismissal.objects.exists()


def test_dismissing_needs_post_and_the_csrf_token(ana):
    notice = NoticeFactory()
    url = reverse("notices:dismiss", kwargs={"public_id": notice.public_id})
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ana)
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    assert not NoticeDismissal.objects.exists()
