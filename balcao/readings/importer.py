"""Company readings from a reading route file (the readers' handhelds export CSV).

Columns, by header name (order free, ';' or ','): ``cil`` and/or ``contador`` (meter
serial), ``data`` (dd/mm/aaaa or aaaa-mm-dd), ``indice`` (whole m³), ``leitor``.
All or nothing: if any line is rejected, no reading is stored and the report says
which lines and why.
"""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from balcao.contracts.models import Installation, Meter
from balcao.readings.services import record_company_reading

COLUMNS = {"cil", "contador", "data", "indice", "leitor"}


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


class _Rollback(Exception):
    pass


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _parse_date(value: str) -> datetime.date:
    value = value.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"data inválida «{value}» (use dd/mm/aaaa)")


def import_route_file(text: str, *, actor=None, dry_run: bool = False) -> ImportReport:
    """Record every line as a company reading, or none of them (see the module docstring)."""
    report = ImportReport()
    text = text.lstrip("\ufeff")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        report.rejected.append((1, "ficheiro vazio"))
        return report
    header = [_plain(name) for name in rows[0]]
    missing = {"data", "indice"} - set(header)
    if missing or not ({"cil", "contador"} & set(header)):
        report.rejected.append(
            (1, "cabeçalho inválido: são precisas as colunas cil ou contador, data e indice")
        )
        return report

    parsed = []
    cils, serials = set(), set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        try:
            taken_on = _parse_date(record.get("data", ""))
            raw_index = record.get("indice", "")
            if not raw_index.isdigit():
                raise ValueError(f"índice inválido «{raw_index}» (só algarismos)")
            if not record.get("cil") and not record.get("contador"):
                raise ValueError("falta o CIL ou o número do contador")
        except ValueError as error:
            report.rejected.append((number, str(error)))
            continue
        cils.add(record.get("cil", ""))
        serials.add(record.get("contador", ""))
        parsed.append((number, record, taken_on, int(raw_index)))

    installations = {i.cil: i for i in Installation.objects.filter(cil__in=cils - {""})}
    meters = {
        m.serial: m
        for m in Meter.objects.filter(serial__in=serials - {""}).select_related("installation")
    }
    try:
        with transaction.atomic():
            # By date, so that a meter's readings follow each other as they were taken.
            for number, record, taken_on, index in sorted(parsed, key=lambda p: (p[2], p[0])):
                cil, serial = record.get("cil", ""), record.get("contador", "")
                meter = meters.get(serial) if serial else None
                if serial and meter is None:
                    report.rejected.append((number, f"contador {serial} não existe"))
                    continue
                # Without a CIL the line has a serial whose meter exists (checked above).
                installation = installations.get(cil) if cil else meter.installation  # type: ignore[union-attr]
                if installation is None:
                    report.rejected.append((number, f"CIL {cil} não existe"))
                    continue
                if meter is not None and meter.installation_id != installation.pk:
                    report.rejected.append(
                        (number, f"o contador {serial} não é da instalação {cil}")
                    )
                    continue
                try:
                    with transaction.atomic():
                        record_company_reading(
                            installation=installation,
                            taken_on=taken_on,
                            index=index,
                            reader=record.get("leitor", ""),
                            actor=actor,
                            meter=meter,
                        )
                except ValidationError as error:
                    report.rejected.append((number, " ".join(error.messages)))
                    continue
                report.imported += 1
            if report.rejected or dry_run:
                raise _Rollback
    except _Rollback:
        if report.rejected:
            report.imported = 0
    report.rejected.sort()
    return report
