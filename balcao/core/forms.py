"""What every form shares: the accessible markup, the submission key, the Portuguese address."""

import json
import re
import uuid
from typing import cast

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorDict
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from balcao.core.models import Address, District, Municipality, Parish


class BalcaoFormRenderer(TemplatesSetting):
    """Renders every field with its label, hint and error, tied by aria-describedby."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


# The article a Portuguese label takes, from its first word ("a freguesia", "o concelho"):
# the usual endings, and the words that break them.
MASCULINE_IN_A = {"idioma", "dia", "sistema", "problema", "mapa"}
FEMININE_OTHER = {"password", "palavra-passe", "instalação", "morada"}
FEMININE_ENDINGS = ("a", "ção", "são", "dade", "gem")
OPTIONAL_SUFFIX = re.compile(r"\s*\((opcional|optional)\)\s*$", re.I)


def label_article(label_pt: str) -> str:
    """ "o", "a", "os" or "as" for a label in Portuguese."""
    first = label_pt.split()[0].lower() if label_pt.split() else ""
    if first.endswith("os"):
        return "os"
    if first.endswith("as"):
        return "as"
    if first in FEMININE_OTHER or (
        first.endswith(FEMININE_ENDINGS) and first not in MASCULINE_IN_A
    ):
        return "a"
    return "o"


def _field_words(label) -> str:
    """The label inside a sentence: "Código postal" -> "código postal", "NIF" stays."""
    text = OPTIONAL_SUFFIX.sub("", str(label)).rstrip(":")
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


# One sentence per verb and article, whole (the translators see each one).
REQUIRED = {
    ("Indique", "o"): _("Indique o %(field)s."),
    ("Indique", "a"): _("Indique a %(field)s."),
    ("Indique", "os"): _("Indique os %(field)s."),
    ("Indique", "as"): _("Indique as %(field)s."),
    ("Escolha", "o"): _("Escolha o %(field)s."),
    ("Escolha", "a"): _("Escolha a %(field)s."),
    ("Escolha", "os"): _("Escolha os %(field)s."),
    ("Escolha", "as"): _("Escolha as %(field)s."),
}
INVALID_CHOICE = {
    "o": _("Escolha o %(field)s da lista."),
    "a": _("Escolha a %(field)s da lista."),
    "os": _("Escolha os %(field)s da lista."),
    "as": _("Escolha as %(field)s da lista."),
}
INVALID = {
    "date": _("Indique «%(field)s» como dd/mm/aaaa, por exemplo 15/12/2026."),
    "number": _("Indique «%(field)s» só com algarismos."),
    "email": _("Indique «%(field)s» no formato nome@exemplo.pt."),
    "other": _("Indique «%(field)s» no formato pedido."),
}
MAX_LENGTH = _("«%(field)s» tem no máximo %(limit_value)d carateres.")
TICK = _("Para continuar, marque «%(field)s».")


def _django_default(field, key: str):
    """The message Django itself gives ``field`` for ``key`` (None if this project set one)."""
    message = None
    for klass in reversed(type(field).__mro__):
        if klass.__module__.startswith("django.") and key in vars(klass).get(
            "default_error_messages", {}
        ):
            message = vars(klass)["default_error_messages"][key]
    return message


def _message(template, label, **extra):
    return lazy(lambda: str(template) % {"field": _field_words(label), **extra}, str)()


def _invalid_kind(field) -> str:
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return "date"
    if isinstance(field, (forms.IntegerField, forms.DecimalField)):
        return "number"
    if isinstance(field, forms.EmailField):
        return "email"
    return "other"


def name_the_field_in_errors(form: forms.BaseForm) -> None:
    """Every error says which field and what to do ("Escolha a freguesia."), GOV.UK-style.

    Only Django's own generic messages are replaced ("Este campo é obrigatório."); a form's
    own message, written next to its field, stays.
    """
    for field in form.fields.values():
        if field.widget.is_hidden or not field.label:
            continue
        with override("pt-pt"):
            article = label_article(OPTIONAL_SUFFIX.sub("", str(field.label)))
        messages = field.error_messages
        is_choice = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField))

        def generic(key, field=field, messages=messages):
            default = _django_default(field, key)
            return key in messages and default is not None and str(messages[key]) == str(default)

        if generic("required"):
            if isinstance(field, forms.BooleanField):
                messages["required"] = _message(TICK, field.label)
            else:
                verb = "Escolha" if is_choice else "Indique"
                messages["required"] = _message(REQUIRED[verb, article], field.label)
        if generic("invalid_choice"):
            messages["invalid_choice"] = _message(INVALID_CHOICE[article], field.label)
        if generic("invalid"):
            messages["invalid"] = _message(INVALID[_invalid_kind(field)], field.label)
        # The validators are shared with the class's field: replaced, never changed.
        field.validators = [
            MaxLengthValidator(
                validator.limit_value,
                _message(MAX_LENGTH, field.label, limit_value=validator.limit_value),
            )
            if type(validator) is MaxLengthValidator
            and str(validator.message) == str(MaxLengthValidator.message)
            else validator
            for validator in field.validators
        ]


class NamedErrorsMixin:
    """For every form of the portal: errors that name their field (see name_the_field_in_errors)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_the_field_in_errors(self)


class TypedDateField(forms.DateField):
    """A date as people type it: 15/12/2026, 15-12-2026, 15.12.2026, 15 12 2026 or 15122026.

    A text input, not type="date" nor inputmode="numeric": the phone's keyboard must offer
    the separator people type (a numeric keypad has no "/").
    """

    widget = forms.DateInput(format="%d/%m/%Y", attrs={"size": 10, "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"\d{8}", text):
                text = f"{text[:2]}/{text[2:4]}/{text[4:]}"
            elif re.fullmatch(r"\d{1,2}\s*[-./\s]\s*\d{1,2}\s*[-./\s]\s*\d{4}", text):
                text = "/".join(re.split(r"\s*[-./\s]\s*", text))
            value = text
        return super().to_python(value)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)


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


class DistrictSelect(forms.Select):
    """The distrito, and "Escolher distrito": without JavaScript, the form comes back with
    that district's concelhos; static/js/address.js filters them in the page instead."""

    template_name = "forms/widgets/district_select.html"


def _options_by_parent(queryset, parent: str) -> str:
    """{parent pk: [[pk, name], …]} for static/js/address.js."""
    options: dict[str, list] = {}
    for pk, parent_pk, name in queryset.values_list("pk", parent, "name"):
        options.setdefault(str(parent_pk), []).append([pk, name])
    return json.dumps(options, ensure_ascii=False, separators=(",", ":"))


class AddressForm(NamedErrorsMixin, forms.ModelForm):
    """Rua, Porta, Andar, Código postal, Localidade postal, Distrito, Concelho, Freguesia,
    Localidade: the address block of the manual's forms (sections 2, 3 and 6.2).

    Any address in Portugal: the concelhos are those of the chosen distrito, on the server
    ("Escolher distrito" sends the form back with them, without JavaScript) and, with
    JavaScript, in the page (static/js/address.js). Only some concelhos have their
    freguesias listed: elsewhere Freguesia is left blank.
    """

    CHOOSE_DISTRICT = "escolher_distrito"

    district = forms.ModelChoiceField(
        label=_("Distrito"),
        queryset=District.objects.all(),
        empty_label=_("Escolha o distrito"),
        widget=DistrictSelect(attrs={"data-address": "district"}),
    )
    municipality = GroupedModelChoiceField(
        label=_("Concelho"),
        queryset=Municipality.objects.select_related("district"),
        group_by="district",
        empty_label=_("Escolha o concelho"),
        widget=forms.Select(attrs={"data-address": "municipality"}),
    )
    parish = GroupedModelChoiceField(
        label=_("Freguesia"),
        queryset=Parish.objects.filter(valid_to__isnull=True).select_related("municipality"),
        group_by="municipality",
        required=False,
        empty_label=_("Escolha a freguesia"),
        widget=forms.Select(attrs={"data-address": "parish"}),
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
        self.require_all = require_all
        if require_all:
            for name in ("door", "locality"):
                self.fields[name].required = True
        self.choosing_district = self.is_bound and self.CHOOSE_DISTRICT in self.data
        municipalities = cast(forms.ModelChoiceField, self.fields["municipality"])
        parishes = cast(forms.ModelChoiceField, self.fields["parish"])
        municipalities.widget.attrs["data-options"] = _options_by_parent(
            Municipality.objects.all(), "district"
        )
        parishes.widget.attrs["data-options"] = _options_by_parent(
            Parish.objects.filter(valid_to__isnull=True), "municipality"
        )
        district = self._chosen("district", District.objects.all())
        if district is not None:
            municipalities.queryset = Municipality.objects.filter(district=district).select_related(
                "district"
            )
            municipalities.error_messages["invalid_choice"] = _(
                "Escolha um concelho do distrito de %(district)s."
            ) % {"district": district}
        municipality = self._chosen("municipality", Municipality.objects.filter(district=district))
        if municipality is not None:
            parishes.queryset = Parish.objects.filter(
                valid_to__isnull=True, municipality=municipality
            ).select_related("municipality")
            parishes.error_messages["invalid_choice"] = _(
                "Escolha uma freguesia do concelho de %(municipality)s."
            ) % {"municipality": municipality}
        self.listed_municipalities = list(
            Municipality.objects.filter(
                pk__in=Parish.objects.filter(valid_to__isnull=True).values("municipality")
            )
        )
        parishes.help_text = self._parish_hint()
        for name in self._meta.fields or ():
            # GOV.UK: the optional fields say so, the others need no mark. Freguesia is
            # required only where its list exists (the hint says so).
            optional = not self.fields[name].required
            if name == "parish":
                optional = not require_all
            if optional:
                self.fields[name].label = format_lazy(
                    "{} {}", self.fields[name].label, _("(opcional)")
                )

    def _chosen(self, name: str, queryset):
        """The object chosen in ``name``: typed in the form, or the address's own."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        if hasattr(value, "pk"):
            return value
        text = str(value or "")
        if not text.isdigit() or len(text) > 9:  # an id, never a number the database refuses
            return None
        return queryset.filter(pk=int(text)).first()

    def _parish_hint(self):
        names = ", ".join(m.name for m in self.listed_municipalities)
        if self.require_all:
            return _(
                "Obrigatória nos concelhos com a lista de freguesias (%(names)s). "
                "Noutro concelho, deixe em branco."
            ) % {"names": names}
        return _("Se a sua freguesia não constar da lista, deixe em branco.")

    def full_clean(self):
        if self.choosing_district:
            # A step, not a submission: the form comes back with that district's concelhos,
            # what was typed kept and no error shown.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.choosing_district and super().is_valid()

    def clean_postal_code(self):
        value = re.sub(r"[\s\u00a0]+", "", self.cleaned_data["postal_code"])
        if len(value) == 7 and value.isdigit():
            value = f"{value[:4]}-{value[4:]}"
        return value

    def clean(self):
        cleaned = super().clean()
        listed = cleaned.get("municipality") in self.listed_municipalities
        if (
            self.require_all
            and listed
            and not cleaned.get("parish")
            and "parish" not in self.errors
        ):
            self.add_error("parish", self.fields["parish"].error_messages["required"])
        return cleaned
