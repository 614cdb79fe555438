"""The reading forms (manual 6.3): "Leitura de Água (m³)" and the acceptance of warnings."""

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from balcao.core.forms import SubmissionKeyField

MAX_INDEX = 99_999_999

ACCEPT_LABEL = _("Aceito enviar a leitura com os valores")
# The warnings the server showed for one submission travel signed in the confirmation step:
# an acceptance counts only for them (never for a "confirming" POST crafted without them).
SHOWN_WARNINGS_SALT = "balcao.readings.shown-warnings"
SHOWN_WARNINGS_MAX_AGE = 2 * 3600


def sign_shown_warnings(*, contract_number: str, submission_key, index: int, codes) -> str:
    return signing.dumps(
        {"c": contract_number, "k": str(submission_key), "i": index, "w": sorted(codes)},
        salt=SHOWN_WARNINGS_SALT,
        compress=True,
    )


class ReadingForm(forms.Form):
    """The meter index, whole m³; with ``confirming`` it also carries the acceptance box."""

    index = forms.IntegerField(
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

    def __init__(self, *args, confirming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if confirming:
            self.fields["confirming"].initial = True
        else:
            # The box appears only once the page has shown the warnings.
            del self.fields["accept_warnings"]

    def shown_warning_codes(self, contract_number: str) -> frozenset[str] | None:
        """The warnings this page showed for this submission and index, or None if none were.

        Read from the signed ``shown_warnings`` field: valid only for the same contract,
        submission key and index, and for two hours.
        """
        token = self.cleaned_data.get("shown_warnings")
        if not token:
            return None
        try:
            shown = signing.loads(token, salt=SHOWN_WARNINGS_SALT, max_age=SHOWN_WARNINGS_MAX_AGE)
        except signing.BadSignature:
            return None
        this_submission = (
            contract_number,
            str(self.cleaned_data["submission_key"]),
            self.cleaned_data["index"],
        )
        if (shown.get("c"), shown.get("k"), shown.get("i")) != this_submission:
            return None
        return frozenset(shown.get("w") or ())

    def refuse_acceptance_missing(self):
        self.add_error(
            "accept_warnings",
            _(
                "Para enviar esta leitura, marque «Aceito enviar a leitura com os valores». "
                "Se se enganou, corrija a leitura."
            ),
        )


class ReminderPreferenceForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Quero receber um e-mail quando abrir o período para comunicar leituras"),
        required=False,
    )
