"""Portugal's territory and the structured postal address every app uses."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

postal_code_validator = RegexValidator(
    r"^[1-9]\d{3}-\d{3}$",
    message=_("Indique o código postal no formato NNNN-NNN (por exemplo, 2400-137)."),
)


class District(models.Model):
    """A distrito, or an autonomous region (Açores, Madeira), with CTT's code."""

    code = models.CharField(_("código"), max_length=2, unique=True)
    name = models.CharField(_("nome"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("distrito")
        verbose_name_plural = _("distritos")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """A concelho, with CTT's four-digit code: district (or island) and municipality.

    Leiria is 1009. The islands' municipalities belong to their autonomous region.
    """

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="municipalities")
    code = models.CharField(_("código"), max_length=4, unique=True)
    name = models.CharField(_("nome"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("concelho")
        verbose_name_plural = _("concelhos")

    def __str__(self):
        return self.name


class Parish(models.Model):
    """A freguesia, valid between two dates: parish maps change (2013, 2025)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="parishes"
    )
    name = models.CharField(_("nome"), max_length=120)
    valid_from = models.DateField(_("em vigor desde"))
    valid_to = models.DateField(_("em vigor até"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("freguesia")
        verbose_name_plural = _("freguesias")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "valid_from"], name="unique_parish_version"
            )
        ]

    def __str__(self):
        return self.name


class Address(models.Model):
    """A Portuguese postal address, as the manual's forms ask for it."""

    street = models.CharField(_("Rua"), max_length=200)
    door = models.CharField(_("Porta"), max_length=20, blank=True)
    floor = models.CharField(_("Andar"), max_length=20, blank=True)
    postal_code = models.CharField(
        _("Código postal"), max_length=8, validators=[postal_code_validator]
    )
    postal_locality = models.CharField(_("Localidade postal"), max_length=80)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("Distrito")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("Concelho")
    )
    parish = models.ForeignKey(
        Parish,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("Freguesia"),
    )
    locality = models.CharField(_("Localidade"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("morada")
        verbose_name_plural = _("moradas")

    def __str__(self):
        return ", ".join(self.lines())

    def clean(self):
        errors = {}
        if (
            self.municipality_id
            and self.district_id
            and self.municipality.district_id != self.district_id
        ):
            errors["municipality"] = _("Este concelho não pertence ao distrito escolhido.")
        if (
            self.parish_id
            and self.municipality_id
            and self.parish.municipality_id != self.municipality_id
        ):
            errors["parish"] = _("Esta freguesia não pertence ao concelho escolhido.")
        if self.postal_locality:
            self.postal_locality = re.sub(r"\s+", " ", self.postal_locality).strip().upper()
        if errors:
            raise ValidationError(errors)

    def lines(self) -> list[str]:
        """The address as it is written on an envelope."""
        first = " ".join(part for part in (self.street, self.door) if part)
        if self.floor:
            first = f"{first}, {self.floor}"
        lines = [first]
        if self.locality and self.locality.upper() != self.postal_locality.upper():
            lines.append(self.locality)
        lines.append(f"{self.postal_code} {self.postal_locality.upper()}")
        return lines

    def copy(self) -> "Address":
        """An unsaved copy, so that two owners never share one row."""
        clone = Address.objects.get(pk=self.pk)
        clone.pk = None
        return clone
