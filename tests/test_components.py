"""The shared template components: {% status_tag %} (one table for every status) and
{% summary_list %} (the <dl class="summary"> of every page)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

from balcao.contracts.models import Subscription
from balcao.readings.models import Reading
from balcao.service_requests.models import ServiceRequest


def render(source, **context):
    return Template("{% load balcao %}" + source).render(Context(context))


def tag(tone, label):
    return f'<span class="status status--{tone}">{label}</span>'


@pytest.mark.parametrize(
    ("status", "tone", "label"),
    [
        ("submitted", "pending", "Submetido"),
        ("in_progress", "pending", "Em resolução"),
        ("closed", "ok", "Fechado"),
    ],
)
def test_service_request_status(status, tone, label):
    assert render("{% status_tag r %}", r=ServiceRequest(status=status)) == tag(tone, label)


@pytest.mark.parametrize(
    ("status", "channel", "tone", "label"),
    [
        ("evaluating", "", "pending", "Em avaliação"),
        ("awaiting_activation", "email", "pending", "A aguardar ativação"),
        # approved by letter still reads "Em avaliação" (the page never tells whether it matched)
        ("awaiting_activation", "letter", "pending", "Em avaliação"),
        ("locked", "letter", "bad", "Bloqueado"),
        ("rejected", "", "bad", "Rejeitado"),
        ("active", "email", "ok", "Ativo"),
    ],
)
def test_subscription_status(status, channel, tone, label):
    subscription = Subscription(status=status, activation_channel=channel)
    assert render("{% status_tag s %}", s=subscription) == tag(tone, label)


@pytest.mark.parametrize(
    ("reading", "tone", "label"),
    [
        (Reading(status="received"), "pending", "Recebida"),
        (Reading(status="billable"), "ok", "Validada para faturação"),
        (
            Reading(status="invoiced", invoice_number="FT 2026/12"),
            "ok",
            "Usada na fatura FT 2026/12",
        ),
        (
            Reading(status="history", history_reason="outside_window"),
            "pending",
            "Apenas para histórico (comunicada fora do período de leitura)",
        ),
    ],
)
def test_reading_status(reading, tone, label):
    assert render("{% status_tag r %}", r=reading) == tag(tone, label)


def test_statuses_that_are_not_a_models():
    assert render('{% status_tag "setting" True %}') == tag("ok", "Ativo")
    assert render('{% status_tag "setting" False %}') == tag("pending", "Inativo")
    assert render('{% status_tag "two_factor" True %}') == tag("ok", "Ativa")
    assert render('{% status_tag "two_factor" False %}') == tag("pending", "Desativada")
    assert render('{% status_tag "change" "pending" %}') == tag("pending", "Alteração pendente")


def test_a_model_without_a_status_tag_is_an_error():
    from balcao.contracts.models import Contract

    with pytest.raises(ValueError, match="contracts.contract"):
        render("{% status_tag c %}", c=Contract(status="active"))


def test_summary_list_rows_conditional_and_looped():
    html = render(
        '{% summary_list "panel" %}'
        '{% summary_row _("Tipo") %}<a href="/x">{{ kind }}</a>{% endsummary_row %}'
        '{% if missing %}{% summary_row _("Nunca") %}x{% endsummary_row %}{% endif %}'
        "{% for label, value in details %}{% summary_row label %}{{ value }}{% endsummary_row %}"
        "{% endfor %}"
        "{% endsummary_list %}",
        kind="<Rotura>",
        details=[("Morada", "Rua & Filhos")],
    )
    assert html.startswith('<dl class="summary panel">')
    assert '<dt>Tipo</dt><dd><a href="/x">&lt;Rotura&gt;</a></dd>' in html
    assert "<dt>Morada</dt><dd>Rua &amp; Filhos</dd>" in html
    assert "Nunca" not in html
    assert html.count("<dt>") == 2 and html.rstrip().endswith("</dl>")


def test_summary_row_outside_a_summary_list_is_an_error():
    with pytest.raises(TemplateSyntaxError):
        render('{% summary_row _("Tipo") %}x{% endsummary_row %}')
