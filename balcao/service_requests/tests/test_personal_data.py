"""Os meus dados: the section "pedidos" holds the user's requests, and only theirs."""

import pytest

from balcao.accounts.personal_data import collect
from balcao.service_requests.models import RequestType

pytestmark = pytest.mark.django_db


def test_the_export_has_the_users_requests(ana, bruno, ana_contract, make_request):
    make_request(
        ana,
        request_type=RequestType.E_INVOICE_ON,
        contract=ana_contract,
        payload={"email": "faturas.ana@example.pt", "accepted_terms": True},
    )
    make_request(bruno, description="Do Bruno")

    rows = collect(ana)["pedidos"]

    assert len(rows) == 1
    assert rows[0]["tipo"] == "Adesão à fatura eletrónica"
    assert rows[0]["contrato"] == ana_contract.contract_number
    assert "faturas.ana@example.pt" in rows[0]["alteracao_pedida"]
