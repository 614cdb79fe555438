"""Loads Portugal's districts, municipalities and the Leiria parishes from data/territory/.

Sources and licences are in data/territory/README.md (CTT codes via the
centraldedados/codigos_postais package, PDDL; parishes after Lei 11-A/2013, dated).
"""

import csv
from datetime import date
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "territory"


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# CTT gives each island a code of its own (31-32 Madeira, 41-49 Açores); the
# territory has 18 districts and two autonomous regions, which hold those islands.
AUTONOMOUS_REGIONS = {
    "30": ("Região Autónoma da Madeira", ("31", "32")),
    "40": ("Região Autónoma dos Açores", tuple(str(code) for code in range(41, 50))),
}


def load_territory(District, Municipality, Parish) -> None:
    """Idempotent: creates what is missing, never duplicates (models passed for migrations)."""
    districts = {}
    for row in _rows("distritos.csv"):
        if int(row["cod_distrito"]) <= 18:
            districts[row["cod_distrito"]], _ = District.objects.get_or_create(
                code=row["cod_distrito"], defaults={"name": row["nome_distrito"]}
            )
    for code, (name, islands) in AUTONOMOUS_REGIONS.items():
        region, _ = District.objects.get_or_create(code=code, defaults={"name": name})
        for island in islands:
            districts[island] = region
    for row in _rows("concelhos.csv"):
        Municipality.objects.get_or_create(
            code=row["cod_distrito"] + row["cod_concelho"],
            defaults={"district": districts[row["cod_distrito"]], "name": row["nome_concelho"]},
        )
    leiria = Municipality.objects.get(code="1009")
    for row in _rows("freguesias-leiria.csv"):
        if row["concelho"] != leiria.name:
            continue
        Parish.objects.get_or_create(
            municipality=leiria,
            name=row["freguesia"],
            valid_from=date.fromisoformat(row["valid_from"]),
            defaults={"valid_to": date.fromisoformat(row["valid_to"]) if row["valid_to"] else None},
        )


def ensure_territory():
    """Load the territory if a flushed test database lost it; returns Leiria's municipality."""
    from balcao.core.models import District, Municipality, Parish

    if not Municipality.objects.filter(code="1009").exists():
        load_territory(District, Municipality, Parish)
    return Municipality.objects.select_related("district").get(code="1009")
