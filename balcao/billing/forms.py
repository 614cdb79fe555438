"""The public "Simulador de fatura": a tariff type, a consumption and a period."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from balcao.billing.computation import TariffType

MAX_CONSUMPTION = Decimal("10000")
MAX_DAYS = 92  # a billing period of at most three months
MAX_HOUSEHOLD = 30


class SimulatorForm(forms.Form):
    """Sent by GET (a simulation changes nothing, and its address can be kept)."""

    tariff_type = forms.ChoiceField(
        label=_("Tarifa"),
        choices=TariffType.choices,
        initial=TariffType.DOMESTIC,
        help_text=_("Está nos dados do seu contrato («Os meus contratos»), em “Tarifa”."),
        error_messages={
            "required": _("Escolha a tarifa."),
            "invalid_choice": _("Escolha uma das tarifas da lista."),
        },
    )
    consumption = forms.CharField(
        label=_("Consumo (m³)"),
        help_text=_("A água gasta no período, em metros cúbicos: por exemplo 10 ou 10,5."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "size": 8}
        ),
        error_messages={"required": _("Indique o consumo em m³.")},
    )
    days = forms.IntegerField(
        label=_("Dias do período"),
        help_text=_("Uma fatura mensal tem cerca de 30 dias."),
        initial=30,
        min_value=1,
        max_value=MAX_DAYS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 3}),
        error_messages={
            "required": _("Indique o número de dias do período."),
            "invalid": _("Indique o número de dias só com algarismos, por exemplo 30."),
            "min_value": _("O período tem pelo menos 1 dia."),
            "max_value": _("O período tem no máximo %(limit_value)s dias."),
        },
    )
    household_size = forms.IntegerField(
        label=_("Pessoas no agregado familiar"),
        help_text=_("Só para a tarifa família numerosa."),
        required=False,
        min_value=1,
        max_value=MAX_HOUSEHOLD,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 3}),
        error_messages={
            "invalid": _("Indique o número de pessoas só com algarismos, por exemplo 5."),
            "min_value": _("O agregado tem pelo menos 1 pessoa."),
            "max_value": _("Indique no máximo %(limit_value)s pessoas."),
        },
    )

    def clean_consumption(self) -> Decimal:
        text = self.cleaned_data["consumption"].strip().replace(" ", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise forms.ValidationError(
                _("Indique o consumo só com algarismos, por exemplo 10 ou 10,5."), code="invalid"
            )
        if value < 0:
            raise forms.ValidationError(_("O consumo não pode ser negativo."), code="min_value")
        if value > MAX_CONSUMPTION:
            raise forms.ValidationError(_("Indique um consumo até 10 000 m³."), code="max_value")
        if value != value.quantize(Decimal("0.001")):
            raise forms.ValidationError(
                _("Indique o consumo com até 3 casas decimais (litros)."), code="precision"
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("tariff_type") == TariffType.LARGE_FAMILY
            and not cleaned.get("household_size")
            and "household_size" not in self.errors
        ):
            self.add_error(
                "household_size",
                forms.ValidationError(
                    _("Indique quantas pessoas vivem na casa (família numerosa)."),
                    code="required",
                ),
            )
        return cleaned
