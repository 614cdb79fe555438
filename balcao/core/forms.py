"""What every form shares: the accessible markup, the submission key, the Portuguese address."""

import uuid

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from balcao.core.models import Address, District, Municipality, Parish


class BalcaoFormRenderer(TemplatesSetting):
    """Renders every field with its label, hint and error, tied by aria-describedby."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class SubmissionKeyField(forms.UUIDField):
    """A hidden key drawn when the form is shown: the same form sent twice (a double click,
    a resent POST) carries the same key, and the service stores it once."""

    widget = forms.HiddenInput
    default_error_messages = {
        "required": _("O formulário expirou. Abra de novo a página e volte a submeter."),
        "invalid": _("O formulário expirou. Abra de novo a página e volte a submeter."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


class GroupedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Yields the options in <optgroup>s named after each object's parent."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for obj in self.queryset:
            groups.setdefault(str(getattr(obj, self.field.group_by)), []).append(self.choice(obj))
        yield from sorted(groups.items())


class GroupedModelChoiceField(forms.ModelChoiceField):
    """A select grouped by a parent (concelhos by distrito): works without JavaScript."""

    iterator = GroupedModelChoiceIterator

    def __init__(self, *args, group_by: str, **kwargs):
        self.group_by = group_by
        super().__init__(*args, **kwargs)


class AddressForm(forms.ModelForm):
    """Rua, Porta, Andar, Código postal, Localidade postal, Distrito, Concelho, Freguesia,
    Localidade: the address block of the manual's forms (sections 2, 3 and 6.2)."""

    district = forms.ModelChoiceField(
        label=_("Distrito"), queryset=District.objects.all(), empty_label=_("Escolha o distrito")
    )
    municipality = GroupedModelChoiceField(
        label=_("Concelho"),
        queryset=Municipality.objects.select_related("district"),
        group_by="district",
        empty_label=_("Escolha o concelho"),
    )
    parish = GroupedModelChoiceField(
        label=_("Freguesia"),
        queryset=Parish.objects.filter(valid_to__isnull=True).select_related("municipality"),
        group_by="municipality",
        required=False,
        empty_label=_("Escolha a freguesia"),
        help_text=_("Se a sua freguesia não constar da lista, deixe em branco."),
    )

    class Meta:
        model = Address
        fields = [
            "street",
            "door",
            "floor",
            "postal_code",
            "postal_locality",
            "district",
            "municipality",
            "parish",
            "locality",
        ]
        help_texts = {"postal_code": _("NNNN-NNN, por exemplo 2400-137")}
        widgets = {
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": 8}
            ),
            "postal_locality": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "door": forms.TextInput(attrs={"size": 6}),
            "floor": forms.TextInput(attrs={"size": 6}),
        }

    def __init__(self, *args, require_all: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if require_all:
            for name in ("door", "parish", "locality"):
                self.fields[name].required = True

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if len(value) == 7 and value.isdigit():
            value = f"{value[:4]}-{value[4:]}"
        return value
