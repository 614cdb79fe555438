"""The customer's invoice pages (manual 6.4): Minhas faturas, the summary, the PDF, the
simulator, Os meus dados. Invoices are issued for real (helpers_pages.bill)."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from balcao.billing.access import get_invoice_for_user
from balcao.billing.models import Invoice
from balcao.billing.services.invoices import issue_credit_note
from balcao.billing.statements import (
    annotated_previous_invoice,
    format_m3,
    previous_invoice,
    previous_invoice_annotations,
    why_different,
)
from balcao.billing.tests.helpers_pages import bill, domestic_tariff, monthly_invoices
from balcao.contracts.models import Subscription
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db

INVOICES = reverse("portal:invoices")
SIMULATOR = reverse("billing:simulator")


def casa(user):
    return user.subscriptions.get(custom_name="Casa").contract


def choose(client, contract):
    client.post(reverse("portal:choose_contract"), {"contract": contract.contract_number})


def invoice_url(invoice, name="billing:invoice"):
    return reverse(name, kwargs={"invoice_number": invoice.number})


# --- The URL -------------------------------------------------------------------------


def test_an_invoice_is_addressed_by_its_number_slugified(ana):
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    assert invoice.number == "FT 2026A/1"
    assert invoice_url(invoice) == "/faturas/FT-2026A-1/"
    assert invoice_url(invoice, "billing:invoice_pdf") == "/faturas/FT-2026A-1/pdf/"


@pytest.mark.parametrize(
    "path", ["/faturas/FT 2026A-1/", "/faturas/XX-2026A-1/", "/faturas/FT-2026A-/", "/faturas/1/"]
)
def test_a_path_without_an_invoice_number_shape_is_not_a_page(ana_client, path):
    assert ana_client.get(path).status_code == 404


# --- Minhas faturas ------------------------------------------------------------------


@time_machine.travel("2026-05-20 10:00:00+01:00", tick=False)
def test_minhas_faturas_lists_the_year_by_month_with_chart_and_table(ana_client, ana):
    contract = casa(ana)
    choose(ana_client, contract)
    january = bill(contract, start=datetime.date(2026, 1, 1), volume="9")  # issued 31/01
    february = bill(contract, start=datetime.date(2026, 1, 31), volume="14")  # issued 02/03
    march = bill(contract, start=datetime.date(2026, 3, 2), volume="10")  # issued 01/04
    april = bill(contract, start=datetime.date(2026, 4, 1), volume="10")  # issued 01/05
    from balcao.core.transitions import transition

    transition(january, Invoice.Status.PAID)

    html = ana_client.get(INVOICES).content.decode()

    assert "Histórico de Faturação do contrato Casa" in html
    assert '<option value="2026" selected>2026</option>' in html
    # the chart: its title, one bar per month, the same amount as in the table
    assert "Valor das faturas por mês em 2026, em euros" in html
    assert html.count('<rect class="bar"') == 12
    assert f"Jan: {_euros(january.gross_total)}" in html
    # the list: newest first, with status, number, dates, amount, download and summary
    for invoice in (january, february, march, april):
        assert f'href="{invoice_url(invoice)}">{invoice.number}</a>' in html
        assert f'href="{invoice_url(invoice, "billing:invoice_pdf")}">Download Fatura' in html
        # the manual's "Ver Fatura" (6.4): the invoice's page, where its PDF is downloaded
        assert f'href="{invoice_url(invoice)}">Ver Fatura' in html
    assert html.index(april.number) < html.index(january.number)
    assert '<span class="status status--ok">Pago</span>' in html
    # march's due date (21/04) has passed on 20/05: "Vencida"; april's (21/05) not yet
    assert '<span class="status status--bad">Vencida</span>' in html
    assert '<span class="status status--pending">Por pagar</span>' in html
    # the manual's labels (6.4), colon included: "Emitida:", "Pagar até:"
    assert '<th scope="col">Emitida:</th>' in html and '<th scope="col">Pagar até:</th>' in html
    assert '<td data-label="Emitida:">01/05/2026</td>' in html
    assert '<td data-label="Pagar até:">21/05/2026</td>' in html
    assert f'<td class="num" data-label="Valor">{_euros(april.gross_total)}</td>' in html
    assert '<td data-label="Mês">abril</td>' in html


def _euros(amount):
    return f"{amount:.2f}".replace(".", ",") + " €"


@time_machine.travel("2026-05-20 10:00:00+01:00", tick=False)
def test_the_year_selector_works_without_javascript(ana_client, ana):
    contract = casa(ana)
    old = bill(contract, start=datetime.date(2025, 11, 1))
    new = bill(contract, start=datetime.date(2026, 1, 1))

    html = ana_client.get(INVOICES).content.decode()
    assert new.number in html and old.number not in html
    assert '<option value="2025">2025</option>' in html

    html = ana_client.get(INVOICES, {"ano": "2025"}).content.decode()
    assert old.number in html and new.number not in html
    # a year the contract has no invoice in, or not a year: the latest
    assert new.number in ana_client.get(INVOICES, {"ano": "1999"}).content.decode()
    assert new.number in ana_client.get(INVOICES, {"ano": "x\x00"}).content.decode()


def test_minhas_faturas_is_of_the_contract_chosen_in_the_header(ana_client, ana):
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    loja = ana.subscriptions.get(custom_name="Loja").contract
    choose(ana_client, loja)
    html = ana_client.get(INVOICES).content.decode()
    assert invoice.number not in html
    assert "Ainda não há faturas deste contrato em" in html
    choose(ana_client, casa(ana))
    assert invoice.number in ana_client.get(INVOICES).content.decode()


def test_an_invoice_page_names_its_contract_in_the_header_and_switching_leaves_it(ana_client, ana):
    """Casa's invoice opened while Loja is chosen: the header says Casa; "Mudar" to Loja
    goes to Loja's Minhas faturas, never Casa's invoice under Loja's name."""
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    loja = ana.subscriptions.get(custom_name="Loja").contract
    choose(ana_client, loja)

    page = ana_client.get(invoice_url(invoice))
    assert page.context["selected_subscription"]().contract == casa(ana)

    switched = ana_client.post(
        reverse("portal:choose_contract"),
        {"contract": loja.contract_number, "next": invoice_url(invoice)},
    )
    assert switched["Location"] == INVOICES


def test_a_cancelled_invoice_and_its_credit_note_count_for_nothing_in_the_chart(ana_client, ana):
    contract = casa(ana)
    choose(ana_client, contract)
    invoice = bill(contract, start=datetime.date(2026, 1, 1), issue_date=datetime.date(2026, 2, 1))
    note = issue_credit_note(
        invoice=invoice, reason="Leitura errada.", issue_date=datetime.date(2026, 2, 2)
    )
    html = ana_client.get(INVOICES, {"ano": "2026"}).content.decode()
    assert "Fev: 0,00 €" in html
    assert '<span class="status status--pending">Anulada</span>' in html
    assert note.number in html and f"Anula a fatura {invoice.number}" in html


def test_without_contracts_the_page_asks_to_add_one(client):
    from balcao.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get(INVOICES).content.decode()
    assert "Adicione um contrato para consultar as suas faturas." in html


@pytest.mark.parametrize("count", [1, 120])
def test_minhas_faturas_queries_are_flat_with_ten_years_of_invoices(
    ana_client, ana, count, django_assert_max_num_queries
):
    contract = casa(ana)
    invoices = monthly_invoices(contract, first=datetime.date(2016, 1, 1), count=count)
    choose(ana_client, contract)
    ana_client.get(INVOICES)  # warm the session
    year = str(invoices[-1].issue_date.year)
    with django_assert_max_num_queries(6):
        assert ana_client.get(INVOICES, {"ano": year}).status_code == 200
    with django_assert_max_num_queries(9):
        assert ana_client.get(invoice_url(invoices[-1])).status_code == 200


# --- The summary ---------------------------------------------------------------------


@time_machine.travel("2026-03-10 10:00:00+00:00", tick=False)
def test_the_summary_explains_each_line_and_why_it_differs(ana_client, ana):
    contract = casa(ana)
    reading = ReadingFactory(
        installation=contract.installation, index=140, taken_on=datetime.date(2026, 3, 4)
    )
    bill(contract, start=datetime.date(2026, 1, 1), volume="9")
    invoice = bill(
        contract,
        start=datetime.date(2026, 1, 31),
        days=33,
        volume="14",
        readings=[reading],
        adjustment_note="Acerto de 3 m³ estimados em dezembro.",
        prescription_note="2 m³ de 2025 prescritos (Lei 23/96, art. 10.º).",
    )

    html = ana_client.get(invoice_url(invoice)).content.decode()

    assert f"<h1>Fatura {invoice.number}</h1>" in html
    assert (
        "consumo maior: 14 m³ contra 9 m³; inclui acerto de estimativas; período de 33 dias" in html
    )
    assert "31/01/2026 a 04/03/2026 (33 dias)" in html
    assert "14 m³, real (de leituras)" in html
    # each band with its quantity × price: 33 days widen the 1.º band to 5.5 m³
    assert "Abastecimento de água — 1.º escalão" in html
    assert "5,5 m³ × 0,5900 €/m³" in html
    assert "3,5000 € por 30 dias × 33/30" in html
    assert "Acerto de 3 m³ estimados em dezembro." in html
    assert "2 m³ de 2025 prescritos" in html
    # the VAT summary, the Multibanco box (unpaid, no direct debit), the reading used
    assert "Resumo do IVA" in html and "M99 — " in html
    assert "Pagamento por Multibanco" in html and "90150" in html
    assert "140" in html and "Real (" in html


def test_why_different_in_words(ana):
    contract = casa(ana)
    first = bill(contract, start=datetime.date(2026, 1, 1), volume="10")
    same = bill(contract, start=datetime.date(2026, 1, 31), volume="10")
    less = bill(contract, start=datetime.date(2026, 3, 2), volume="4.5")
    assert why_different(first, None) == "É a primeira fatura deste contrato."
    assert why_different(same, first) == f"O mesmo valor da fatura anterior ({first.number})."
    sentence = why_different(less, same)
    assert sentence.startswith("Menos ") and "consumo menor: 4,5 m³ contra 10 m³" in sentence
    assert format_m3(less.water_volume) == "4,5"
    # Less to pay for more water: the previous invoice's acerto says why.
    same.adjustment_note = "Acerto de 3 m³ estimados em dezembro."
    more = bill(contract, start=datetime.date(2026, 4, 1), volume="12")
    sentence = why_different(more, same)
    assert "consumo maior: 12 m³ contra 10 m³" in sentence
    assert "a fatura anterior incluía acerto de estimativas" in sentence


def test_the_previous_invoice_read_with_the_invoice_is_the_one_queried(ana):
    """The page reads it as one JSON column of the invoice's row: its amounts exact, not
    floats; a cancelled invoice is not the previous one."""
    contract = casa(ana)
    first = bill(contract, start=datetime.date(2026, 1, 1), volume="10.125")
    cancelled = bill(contract, start=datetime.date(2026, 1, 31), volume="7")
    issue_credit_note(invoice=cancelled, reason="Leitura errada.")
    last = bill(contract, start=datetime.date(2026, 3, 2), volume="4.5")
    fields = (
        "pk",
        "number",
        "water_volume",
        "days",
        "estimated",
        "tariff_id",
        "gross_total",
        "adjustment_note",
    )
    for invoice, expected in [(first, None), (last, first)]:
        read = get_invoice_for_user(ana, invoice.number, previous_invoice_annotations())
        previous = annotated_previous_invoice(read)
        assert previous_invoice(invoice) == expected
        if expected is None:
            assert previous is None
            continue
        assert [getattr(previous, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert previous.water_volume.as_tuple() == Decimal("10.125").as_tuple()
        assert str(previous.gross_total) == str(expected.gross_total)  # to the cent


def test_no_multibanco_box_when_paid_by_direct_debit(ana_client, ana):
    contract = casa(ana)
    contract.account.direct_debit = True
    contract.account.save()
    invoice = bill(contract, start=datetime.date(2026, 1, 1))
    html = ana_client.get(invoice_url(invoice)).content.decode()
    assert "Pagamento por Multibanco" not in html
    assert "Esta fatura é paga por débito direto." in html


# --- Download Fatura -----------------------------------------------------------------


def test_download_serves_the_kept_pdf(ana_client, ana):
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    invoice.pdf.save("ft-2026a-1.pdf", ContentFile(b"%PDF-1.4 fatura\n%%EOF\n"))

    response = ana_client.get(invoice_url(invoice, "billing:invoice_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="FT-2026A-1.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4 fatura")


def test_download_before_the_pdf_exists_says_it_is_being_prepared(ana_client, ana):
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    response = ana_client.get(invoice_url(invoice, "billing:invoice_pdf"))
    assert response.status_code == 409
    assert "A fatura em PDF está a ser preparada" in response.content.decode()


# --- Access --------------------------------------------------------------------------


def test_bruno_cannot_see_or_download_anas_invoice(ana, bruno, client):
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    invoice.pdf.save("ana.pdf", ContentFile(b"%PDF-1.4 ana\n"))
    client.force_login(bruno)
    assert client.get(invoice_url(invoice)).status_code == 404
    assert client.get(invoice_url(invoice, "billing:invoice_pdf")).status_code == 404
    assert invoice.number not in client.get(INVOICES).content.decode()


def test_a_removed_subscription_no_longer_reaches_its_invoices(ana_client, ana):
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    Subscription.objects.filter(user=ana, contract=invoice.contract).update(
        status=Subscription.Status.REMOVED
    )
    assert ana_client.get(invoice_url(invoice)).status_code == 404
    assert ana_client.get(invoice_url(invoice, "billing:invoice_pdf")).status_code == 404


# --- Os meus dados -------------------------------------------------------------------


def test_my_data_exports_the_invoices_of_active_subscriptions_only(ana_client, ana, bruno):
    invoice = bill(casa(ana), start=datetime.date(2026, 1, 1))
    bill(bruno.subscriptions.get().contract, start=datetime.date(2026, 1, 1))
    # an old subscription of ana's, removed: its invoices are not hers to export any more
    old = SubscriptionFactory(user=ana, custom_name="Antiga", status=Subscription.Status.REMOVED)
    bill(old.contract, start=datetime.date(2026, 1, 1))

    data = json.loads(ana_client.get(reverse("accounts:export_json")).content)
    [row] = data["seccoes"]["faturas"]
    assert row["numero"] == invoice.number
    assert row["total"] == str(invoice.gross_total)
    assert row["estado"] == "Por pagar"
    assert row["periodo_inicio"] == "2026-01-01" and row["dias"] == 30

    response = ana_client.get(reverse("accounts:export_csv"))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.DictReader(io.StringIO(archive.read("faturas.csv").decode("utf-8-sig"))))
    assert [r["numero"] for r in rows] == [invoice.number]


# --- Simulador de fatura -------------------------------------------------------------


def test_the_simulator_is_public_and_computes_line_by_line(client, db):
    domestic_tariff()
    page = client.get(SIMULATOR)
    assert page.status_code == 200
    assert 'name="days"' in page.content.decode() and 'value="30"' in page.content.decode()
    # the tariff is said where the customer finds it: the contract's page, not the invoice
    assert "Está nos dados do seu contrato («Os meus contratos»), em “Tarifa”." in (
        page.content.decode()
    )

    response = client.get(SIMULATOR, {"tariff_type": "domestic", "consumption": "10", "days": "30"})

    html = response.content.decode()
    assert "Valor estimado: 26,74 €" in html  # DOMAIN.md's hand-checked 10 m³ in 30 days
    assert "Abastecimento de água — 2.º escalão" in html
    assert "5 m³" in html and "0,7000 €/m³" in html


def test_the_simulator_accepts_a_decimal_comma(client, db):
    domestic_tariff()
    response = client.get(
        SIMULATOR, {"tariff_type": "domestic", "consumption": "10,0", "days": "30"}
    )
    assert "Valor estimado: 26,74 €" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"consumption": ""}, "Indique o consumo em m³."),
        ({"consumption": "dez"}, "Indique o consumo só com algarismos, por exemplo 10 ou 10,5."),
        ({"consumption": "-1"}, "O consumo não pode ser negativo."),
        ({"consumption": "99999"}, "Indique um consumo até 10 000 m³."),
        ({"days": "0"}, "O período tem pelo menos 1 dia."),
        ({"days": "trinta"}, "Indique o número de dias só com algarismos, por exemplo 30."),
        (
            {"tariff_type": "large_family"},
            "Indique quantas pessoas vivem na casa (família numerosa).",
        ),
        (
            {"tariff_type": "non_domestic"},
            "Não há um tarifário em vigor para esta tarifa. Escolha outra tarifa.",
        ),
    ],
)
def test_the_simulator_errors_are_clear_portuguese(client, db, query, message):
    domestic_tariff()
    response = client.get(
        SIMULATOR, {"tariff_type": "domestic", "consumption": "10", "days": "30"} | query
    )
    html = response.content.decode()
    assert message in html
    assert "<title>Erro:" in html  # the error summary of base.html
    assert "Valor estimado" not in html


def test_the_simulator_prices_a_large_family(client, db):
    from balcao.billing.services.tariffs import save_tariff
    from balcao.billing.tests.conftest import demo_tariffs

    save_tariff(demo_tariffs()["large_family"])
    response = client.get(
        SIMULATOR,
        {"tariff_type": "large_family", "consumption": "10", "days": "30", "household_size": "6"},
    )
    html = response.content.decode()
    # 6 people: every band + 6 m³, so 10 m³ all in the 1.º band (0–11 m³)
    assert "Abastecimento de água — 1.º escalão" in html
    assert "Abastecimento de água — 2.º escalão" not in html


def test_the_simulator_is_linked_from_the_sign_in_page_and_the_footer(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert html.count(f'href="{SIMULATOR}"') == 2
