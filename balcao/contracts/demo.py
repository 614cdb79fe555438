"""Demo master data: customers, accounts, installations, meters and contracts in Leiria.

Deterministic (the caller's seeded random) and fast (bulk inserts). Streets are real
streets of Leiria; parishes are the municipality's (data/territory/).
"""

import datetime
from typing import Any

from stdnum.pt import nif as stdnum_nif

from balcao.contracts.models import BillingAccount, Contract, Customer, Installation, Meter
from balcao.core.models import Address, Parish
from balcao.core.territory import ensure_territory

STREETS = [
    "Rua Barão de Viamonte",
    "Avenida Heróis de Angola",
    "Rua Capitão Mouzinho de Albuquerque",
    "Avenida Marquês de Pombal",
    "Rua Dr. Correia Mateus",
    "Largo Cândido dos Reis",
    "Rua Comandante João Belo",
    "Avenida Combatentes da Grande Guerra",
    "Rua de Tomar",
    "Avenida Nossa Senhora de Fátima",
    "Rua Machado dos Santos",
    "Rua Afonso de Albuquerque",
    "Rua Alfredo Keil",
    "Rua da Restauração",
    "Rua Cidade de Maringá",
    "Rua Dr. José Jardim",
    "Avenida 25 de Abril",
    "Rua Joaquim Ribeiro de Carvalho",
    "Rua Pedro Álvares Cabral",
    "Rua Tenente Valadim",
    "Rua Paulo VI",
    "Rua Ricardo Jorge",
    "Rua Engenheiro Duarte Pacheco",
    "Rua da Fonte Quente",
    "Rua Francisco Pereira da Silva",
    "Avenida Dr. José Jardim",
    "Rua Padre António",
    "Rua D. José Alves Correia da Silva",
    "Rua do Cabeço",
    "Rua Santa Clara",
    "Travessa da Cova das Faias",
    "Rua Professor Portela",
    "Rua Vasco da Gama",
    "Rua Sá de Miranda",
    "Rua João de Deus",
    "Rua Francisco Marto",
]
FIRST_NAMES = [
    "Maria",
    "João",
    "Ana",
    "José",
    "Manuel",
    "Carla",
    "Rui",
    "Sofia",
    "Pedro",
    "Inês",
    "Paulo",
    "Teresa",
    "Luís",
    "Helena",
    "Nuno",
    "Marta",
    "Ricardo",
    "Rita",
    "Jorge",
    "Isabel",
]
SURNAMES = [
    "Silva",
    "Santos",
    "Ferreira",
    "Pereira",
    "Oliveira",
    "Costa",
    "Rodrigues",
    "Martins",
    "Jesus",
    "Sousa",
    "Fernandes",
    "Gonçalves",
    "Gomes",
    "Lopes",
    "Marques",
    "Alves",
    "Almeida",
    "Ribeiro",
    "Pinto",
    "Carvalho",
    "Teixeira",
    "Moreira",
    "Correia",
    "Mendes",
    "Nunes",
]
PARISH_POSTAL = {
    "Monte Real e Carvide": "2425",
    "Coimbrão": "2425",
    "Monte Redondo e Carreira": "2425",
}

# Fixed identities the README names, for trying every flow at once.
PERSONAS: dict[str, dict[str, Any]] = {
    "ana": {
        "customer_number": "100001",
        "account_number": "310001",
        "name": "Ana Silva",
        "nif": "232013969",
        "email": "ana.silva@example.pt",
        "contracts": [("600001", "410001"), ("600002", "410002")],
    },
    "bruno": {
        "customer_number": "100002",
        "account_number": "310002",
        "name": "Bruno Costa",
        "nif": "245929665",
        "email": "bruno.costa@example.pt",
        "contracts": [("600003", "410003")],
    },
    "legado": {
        "customer_number": "100003",
        "account_number": "310003",
        "name": "Luísa Gomes",
        "nif": "218730250",
        "email": "luisa.gomes@example.pt",
        "contracts": [("600004", "410004"), ("600005", "410005")],
    },
    "free_email": {
        "customer_number": "200001",
        "account_number": "300001",
        "name": "Novo Cliente",
        "nif": "123456789",
        "email": "novo.cliente@example.pt",
        "contracts": [("600006", "400001")],
    },
    "free_letter": {
        "customer_number": "200002",
        "account_number": "300002",
        "name": "Rosa Marques",
        "nif": "136695973",
        "email": "",
        "contracts": [("600007", "400002")],
    },
}


def demo_nif(rng) -> str:
    stem = rng.choice("12") + "".join(rng.choice("0123456789") for _ in range(7))
    return stem + stdnum_nif.calc_check_digit(stem)


def _address(rng, municipality, parishes) -> Address:
    parish = rng.choice(parishes)
    prefix = PARISH_POSTAL.get(parish.name, rng.choice(["2400", "2410", "2415"]))
    return Address(
        street=rng.choice(STREETS),
        door=str(rng.randint(1, 240)),
        floor=rng.choice(["", "", "R/C", "1.º Esq.", "2.º Dto.", "3.º"]),
        postal_code=f"{prefix}-{rng.randint(1, 999):03d}",
        postal_locality="LEIRIA",
        district=municipality.district,
        municipality=municipality,
        parish=parish,
        locality=parish.name,
    )


def _clone(address: Address) -> Address:
    fields = {f.attname: getattr(address, f.attname) for f in Address._meta.concrete_fields}
    fields.pop("id")
    return Address(**fields)


def seed(*, rng, today: datetime.date, stdout, customers: int = 300) -> None:
    """Create the persona customers and ``customers`` more, each with one or two contracts."""
    leiria = ensure_territory()
    parishes = list(Parish.objects.filter(municipality=leiria, valid_to__isnull=True))

    rows = []  # (customer fields, [(contract_number, cil), ...])
    for persona in PERSONAS.values():
        rows.append(persona)
    for n in range(customers):
        pairs = [(f"{610001 + 2 * n}", f"{420001 + 2 * n}")]
        if rng.random() < 0.15:
            pairs.append((f"{610002 + 2 * n}", f"{420002 + 2 * n}"))
        rows.append(
            {
                "customer_number": f"{110001 + n}",
                "account_number": f"{320001 + n}",
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}",
                "nif": demo_nif(rng),
                "email": f"cliente{110001 + n}@example.pt" if rng.random() < 0.6 else "",
                "contracts": pairs,
            }
        )

    # Every owner gets its own address row: correspondence, billing, each installation
    # (the first installation is the customer's home).
    customer_addresses = [_address(rng, leiria, parishes) for _ in rows]
    billing_addresses = [_clone(address) for address in customer_addresses]
    install_addresses = [
        [_clone(customer_addresses[i])]
        + [_address(rng, leiria, parishes) for _ in row["contracts"][1:]]
        for i, row in enumerate(rows)
    ]
    Address.objects.bulk_create(
        customer_addresses + billing_addresses + [a for group in install_addresses for a in group]
    )

    customer_objs = Customer.objects.bulk_create(
        Customer(
            customer_number=row["customer_number"],
            name=row["name"],
            nif=row["nif"],
            email=row["email"],
            phone=f"244{rng.randint(100000, 999999)}" if rng.random() < 0.5 else "",
            mobile=f"9{rng.choice('1236')}{rng.randint(1000000, 9999999)}",
            correspondence_address=customer_addresses[i],
        )
        for i, row in enumerate(rows)
    )
    account_objs = BillingAccount.objects.bulk_create(
        BillingAccount(
            account_number=row["account_number"],
            customer=customer_objs[i],
            billing_address=billing_addresses[i],
            e_invoice=bool(row["email"]) and rng.random() < 0.4,
            e_invoice_email=row["email"],
            direct_debit=rng.random() < 0.25,
        )
        for i, row in enumerate(rows)
    )
    installations, meters, contracts = [], [], []
    for i, row in enumerate(rows):
        for j, (_contract_number, cil) in enumerate(row["contracts"]):
            installations.append(Installation(cil=cil, address=install_addresses[i][j]))
    Installation.objects.bulk_create(installations)
    position = 0
    for i, row in enumerate(rows):
        for contract_number, _cil in row["contracts"]:
            installation = installations[position]
            position += 1
            start = today.replace(day=1) - datetime.timedelta(days=rng.randint(800, 6000))
            meters.append(
                Meter(
                    serial=f"LEI{installation.cil}",
                    calibre_mm=rng.choice([15, 15, 15, 20, 25]),
                    installation=installation,
                    installed_on=start,
                    initial_index=0,
                )
            )
            is_shop = contract_number == "600002"  # ana's "Loja"
            contracts.append(
                Contract(
                    contract_number=contract_number,
                    customer=customer_objs[i],
                    account=account_objs[i],
                    installation=installation,
                    product=rng.choice(list(Contract.Product.values)),
                    tariff_type=(
                        Contract.TariffType.NON_DOMESTIC
                        if is_shop
                        else rng.choices(list(Contract.TariffType.values), [85, 5, 6, 4])[0]
                    ),
                    household_size=rng.randint(5, 7) if rng.random() < 0.04 else None,
                    start_date=start,
                )
            )
    Meter.objects.bulk_create(meters)
    Contract.objects.bulk_create(contracts)
    stdout.write(
        f"  {len(customer_objs)} clientes, {len(installations)} instalações e contratos em Leiria"
    )
