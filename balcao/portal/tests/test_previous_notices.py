"""A dismissed notice can be read again: "Ver avisos anteriores" (issue 11, item 13)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from balcao.notices.models import Notice
from balcao.notices.tests.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def test_a_dismissed_notice_is_listed_in_avisos_anteriores(ana_client, ana, bruno):
    cut = NoticeFactory(title="Corte de água na Rua Direita", text="Das 9h às 13h.")
    NoticeFactory(title="Ainda visível")
    bruno_notice = NoticeFactory(
        title="Só do Bruno",
        audience=Notice.Audience.CONTRACTS,
        contracts=[bruno.subscriptions.get().contract],
    )
    ended = NoticeFactory(
        title="Já terminou",
        starts_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    home = ana_client.get(reverse("portal:home")).text
    assert f'href="{reverse("notices:dismissed")}"' in home
    assert "Ver avisos anteriores" in home

    ana_client.post(reverse("notices:dismiss", kwargs={"public_id": cut.public_id}))
    home = ana_client.get(reverse("portal:home")).text
    assert "<h3>Corte de água na Rua Direita</h3>" not in home

    html = ana_client.get(reverse("notices:dismissed")).text
    assert "<h1>Avisos anteriores</h1>" in html
    assert "Corte de água na Rua Direita" in html and "Das 9h às 13h." in html
    assert "Ainda visível" not in html  # not dismissed: it is on the home page
    assert bruno_notice.title not in html and ended.title not in html


def test_without_dismissed_notices_the_page_says_so(ana_client):
    html = ana_client.get(reverse("notices:dismissed")).text
    assert "Não dispensou nenhuma notificação" in html
