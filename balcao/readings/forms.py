"""The reading forms (manual 6.3): "Leitura de Água (m³)" and the acceptance of warnings."""

import re
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from balcao.core.forms import NamedErrorsMixin, SubmissionKeyField

MAX_INDEX = 99_999_999

ACCEPT_LABEL = _("Aceito enviar a leitura com os valores")
# The warnings the server showed for one submission travel signed in the confirmation step:
# an acceptance counts only for them (never for a "confirming" POST crafted without them).
SHOWN_WARNINGS_SALT = "balcao.readings.shown-warnings"
SHOWN_WARNINGS_MAX_AGE = 2 * 3600


def sign_shown_warnings(
    *, contract_number: str, submission_key: uuid.UUID, index: int, codes: Collection[str]
) -> str:
    return signing.dumps(
        {"c": contract_number, "k": str(submission_key), "i": index, "w": sorted(codes)},
        salt=SHOWN_WARNINGS_SALT,
        compress=True,
    )


class MeterIndexField(forms.IntegerField):
    """Whole m³ as read off the meter: the spaces people type between groups are ignored
    ("01 520" is 1520)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"\s", "", value)
        return super().to_python(value)


class ReadingForm(NamedErrorsMixin, forms.Form):
    """The meter index, whole m³, in two steps when the reading raises warnings (manual 6.3).

    The form owns the steps: the first post has no acceptance box; when the service asks
    for confirmation, ``confirmation_step`` gives the form that shows the warnings and
    carries them signed (``shown_warnings``), with the box unticked. ``accepted_warnings``
    counts an acceptance only for the warnings that step showed, for the same contract,
    submission and index (never for a "confirming" POST crafted without them).
    """

    index = MeterIndexField(
        label=_("Leitura de Água (m³)"),
        help_text=_("Os algarismos pretos do contador, sem casas decimais."),
        min_value=0,
        max_value=MAX_INDEX,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "size": 8}
        ),
        error_messages={
            "required": _("Indique a leitura do contador em m³."),
            "invalid": _(
                "Indique a leitura só com algarismos, sem casas decimais (por exemplo 1234)."
            ),
            "min_value": _("A leitura não pode ser negativa."),
            "max_value": _("A leitura tem no máximo 8 algarismos."),
        },
    )
    accept_warnings = forms.BooleanField(label=ACCEPT_LABEL, required=False)
    submission_key = SubmissionKeyField()
    confirming = forms.BooleanField(widget=forms.HiddenInput, required=False)
    shown_warnings = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(self, data: Mapping[str, Any] | None = None, *, contract_number: str) -> None:
        super().__init__(data)
        self.contract_number = contract_number
        # The warnings the page shows above the form (set by confirmation_step).
        self.warnings: list[str] = []
        self.is_confirmation_step = data is not None and data.get("confirming") == "True"
        if self.is_confirmation_step:
            self.fields["confirming"].initial = True
        else:
            # The box appears only once the page has shown the warnings.
            del self.fields["accept_warnings"]

    def accepted_warnings(self) -> frozenset[str]:
        """The codes of the warnings the customer accepted: those this page showed, if ticked."""
        shown = self._shown_warning_codes()
        if shown is None or not self.cleaned_data.get("accept_warnings"):
            return frozenset()
        return shown

    def confirmation_step(self, *, warnings: list[str], codes: frozenset[str]) -> "ReadingForm":
        """The form to show when the service asks for these warnings to be accepted.

        The same warnings shown already and not accepted: this form, with the error on the
        box. First shown (or other warnings than those shown): a new confirmation step that
        carries them signed, the box unticked.
        """
        if self._shown_warning_codes() == codes:
            form = self
            form.add_error(
                "accept_warnings",
                _(
                    "Para enviar esta leitura, marque «Aceito enviar a leitura com os valores». "
                    "Se se enganou, corrija a leitura."
                ),
            )
        else:
            form = ReadingForm(
                {
                    "index": self.data.get("index"),
                    "submission_key": self.data.get("submission_key"),
                    "confirming": "True",
                    "shown_warnings": sign_shown_warnings(
                        contract_number=self.contract_number,
                        submission_key=self.cleaned_data["submission_key"],
                        index=self.cleaned_data["index"],
                        codes=codes,
                    ),
                },
                contract_number=self.contract_number,
            )
        form.warnings = warnings
        return form

    def _shown_warning_codes(self) -> frozenset[str] | None:
        """The warnings this page showed for this submission and index, or None if none were.

        Read from the signed ``shown_warnings`` of the confirmation step: valid only for the
        same contract, submission key and index, and for two hours.
        """
        token = self.cleaned_data.get("shown_warnings") if self.is_confirmation_step else None
        if not token:
            return None
        try:
            shown = signing.loads(token, salt=SHOWN_WARNINGS_SALT, max_age=SHOWN_WARNINGS_MAX_AGE)
        except signing.BadSignature:
            return None
        this_submission = (
            self.contract_number,
            str(self.cleaned_data["submission_key"]),
            self.cleaned_data["index"],
        )
        if (shown.get("c"), shown.get("k"), shown.get("i")) != this_submission:
            return None
        return frozenset(shown.get("w") or ())


class ReminderPreferenceForm(NamedErrorsMixin, forms.Form):
    enabled = forms.BooleanField(
        label=_("Quero receber um e-mail quando abrir o período para comunicar leituras"),
        required=False,
    )
