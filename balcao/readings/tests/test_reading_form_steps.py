"""The reading form owns its two steps: what was shown travels signed, and an acceptance counts
only for it (the view just asks the form)."""

import uuid

from balcao.readings.forms import ReadingForm

CODES = frozenset({"outside_window", "above_expected"})


def first_step(index="400", key=None):
    form = ReadingForm(
        {"index": index, "submission_key": str(key or uuid.uuid4())}, contract_number="500001"
    )
    assert form.is_valid(), form.errors
    return form


def confirm(step, *, accept, index=None, contract_number="500001"):
    data = dict(step.data)
    if index is not None:
        data["index"] = index
    if accept:
        data["accept_warnings"] = "on"
    form = ReadingForm(data, contract_number=contract_number)
    assert form.is_valid(), form.errors
    return form


def test_the_first_post_has_no_box_and_accepts_nothing():
    form = first_step()

    assert "accept_warnings" not in form.fields
    assert form.accepted_warnings() == frozenset()


def test_the_confirmation_step_shows_the_warnings_and_counts_the_ticked_box_for_them():
    step = first_step().confirmation_step(warnings=["Fora do período"], codes=CODES)

    assert step.warnings == ["Fora do período"]
    assert "accept_warnings" in step.fields and "accept_warnings" not in step.data
    assert confirm(step, accept=True).accepted_warnings() == CODES
    assert confirm(step, accept=False).accepted_warnings() == frozenset()


def test_an_acceptance_for_another_index_or_contract_counts_for_nothing():
    step = first_step().confirmation_step(warnings=["Fora do período"], codes=CODES)

    assert confirm(step, accept=True, index="900").accepted_warnings() == frozenset()
    assert confirm(step, accept=True, contract_number="500002").accepted_warnings() == frozenset()


def test_the_same_warnings_not_accepted_again_are_an_error_on_the_box():
    step = first_step().confirmation_step(warnings=["Fora do período"], codes=CODES)
    unticked = confirm(step, accept=False)

    again = unticked.confirmation_step(warnings=["Fora do período"], codes=CODES)

    assert again is unticked
    assert "Aceito enviar a leitura" in again.errors["accept_warnings"][0]
