"""The demo utility: everyone can try every flow at once, and loading it twice is safe."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from balcao.accounts.models import User
from balcao.contracts.models import Contract, Customer, Subscription


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_demo", customers=20, stdout=out)
    return out.getvalue()


def test_demo_logins_work_with_the_common_password(seeded, client):
    for username in ("ana", "bruno", "legado", "atendimento", "admin"):
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": "Leiria-2026!"}
        )
        assert response.status_code == 302, username
        client.logout()
    assert "Leiria-2026!" in seeded and "var/mail" in seeded.replace("\\", "/")


def test_personas_hold_their_contracts(seeded):
    ana = User.objects.get(username="ana")
    names = set(
        ana.subscriptions.filter(status=Subscription.Status.ACTIVE).values_list(
            "custom_name", flat=True
        )
    )
    assert names == {"Casa", "Loja"}
    assert ana.email == "ana.silva@example.pt"
    assert User.objects.get(username="bruno").subscriptions.filter(status="active").count() == 1
    legado = User.objects.get(username="legado")
    assert legado.is_legacy
    assert legado.subscriptions.filter(status="active").count() == 2
    clerk = User.objects.get(username="atendimento")
    assert clerk.is_staff and clerk.groups.filter(name="Atendimento").exists()


def test_free_contracts_for_trying_add_a_contract(seeded):
    by_email = Contract.objects.get(customer__customer_number="200001")
    assert by_email.account.account_number == "300001"
    assert by_email.installation.cil == "400001"
    assert by_email.customer.nif == "123456789"
    assert by_email.customer.email == "novo.cliente@example.pt"
    by_letter = Contract.objects.get(customer__customer_number="200002")
    assert (by_letter.account.account_number, by_letter.installation.cil) == ("300002", "400002")
    assert by_letter.customer.nif == "136695973" and by_letter.customer.email == ""
    assert not Subscription.objects.filter(contract__in=[by_email, by_letter], status="active")


def test_demo_is_in_leiria_and_loading_twice_does_not_duplicate(seeded):
    customers = Customer.objects.count()
    assert customers == 25  # 5 personas + 20
    assert not Contract.objects.exclude(installation__address__municipality__code="1009").exists()
    out = StringIO()
    call_command("seed_demo", customers=20, stdout=out)
    assert "já está carregada" in out.getvalue()
    assert Customer.objects.count() == customers


def test_the_demo_bills_the_personas_history(seeded):
    from balcao.billing.models import DirectDebitMandate, Invoice
    from balcao.payments.models import Payment, Receipt

    ana = User.objects.get(username="ana")
    casa = ana.subscriptions.get(custom_name="Casa").contract
    loja = ana.subscriptions.get(custom_name="Loja").contract
    casa_invoices = Invoice.objects.filter(contract=casa, document_type="FT")
    assert casa_invoices.exclude(status="cancelled").count() == 24
    latest = casa_invoices.order_by("-period_start").first()
    # Início shows the Multibanco reference: unpaid, not by direct debit
    assert latest.status == "issued" and not casa.account.direct_debit
    # every earlier one paid, but the one ana contests and the one she pays in instalments
    # (balcao.payments.demo_dunning)
    assert not (
        casa_invoices.exclude(pk=latest.pk)
        .filter(status="issued", service_requests__isnull=True)
        .exists()
    )
    # ... each paid by a payment with its receipt (payments' demo, through register_payment)
    paid = casa_invoices.filter(status="paid")
    assert paid.count() == 21
    assert Receipt.objects.filter(lines__invoice__in=paid, status="issued").distinct().count() == 21
    assert set(Payment.objects.filter(account=casa.account).values_list("method", flat=True)) <= {
        "multibanco",
        "cash",
        "card",
        "transfer",
    }
    loja_invoices = Invoice.objects.filter(contract=loja, document_type="FT")
    assert loja_invoices.order_by("-period_start").first().status == "issued"
    assert set(Payment.objects.filter(account=loja.account).values_list("method", flat=True)) == {
        "direct_debit"
    }
    sequences = list(Receipt.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    # Loja: its own billing account, on direct debit with a mandate in force
    assert loja.account != casa.account and loja.account.direct_debit
    assert DirectDebitMandate.objects.filter(account=loja.account, status="active").exists()
    assert Invoice.objects.exclude(adjustment_note="").exists()  # an acerto
    assert Invoice.objects.filter(document_type="NC", corrects__contract=casa).exists()


def test_demo_profiles_show_an_address(seeded, client):
    """Manual 3: "O Meu Perfil" shows "Informação da morada"; the demo's customers have one,
    their own row (editing it leaves the contract's address alone)."""
    for username in ("ana", "bruno"):
        user = User.objects.get(username=username)
        holder = Customer.objects.get(nif=user.nif)
        assert user.address_id not in (None, holder.correspondence_address_id)
        client.force_login(user)
        html = client.get(reverse("accounts:profile")).content.decode()
        assert "Ainda não indicou a sua morada" not in html
        assert holder.correspondence_address.street in html


def test_the_demo_leaves_a_multibanco_file_for_a_clerk_to_import(db, settings, tmp_path):
    from balcao.payments.models import MultibancoLine, Payment

    settings.VAR_DIR = tmp_path
    call_command("seed_demo", customers=5, stdout=StringIO())
    path = tmp_path / "pagamentos-multibanco-demo.csv"
    assert path.exists()
    assert not MultibancoLine.objects.exists()  # left for a clerk
    paid_before = Payment.objects.count()

    out = StringIO()
    call_command("import_payments", str(path), stdout=out)

    assert "5 linhas lidas, 2 conciliadas, 3 por conciliar, 0 já importadas" in out.getvalue()
    assert Payment.objects.count() == paid_before + 2
    assert sorted(
        MultibancoLine.objects.filter(status="queued").values_list("reason", flat=True)
    ) == ["no_match", "other_amount", "paid"]
