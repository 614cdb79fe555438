"""The reading forms (manual 6.3): "Leitura de Água (m³)" and the acceptance of warnings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from balcao.core.forms import SubmissionKeyField

MAX_INDEX = 99_999_999

ACCEPT_LABEL = _("Aceito enviar a leitura com os valores")


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

    def __init__(self, *args, confirming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if confirming:
            self.fields["confirming"].initial = True
        else:
            # The box appears only once the page has shown the warnings.
            del self.fields["accept_warnings"]

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
