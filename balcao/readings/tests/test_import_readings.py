"""manage.py import_readings FILE.csv: a reading route file, all or nothing."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from balcao.contracts.tests.factories import ContractFactory
from balcao.readings.models import Reading


@pytest.fixture
def route(db, tmp_path):
    first = ContractFactory().installation
    second = ContractFactory().installation

    def write(text):
        path = tmp_path / "rota.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return first, second, write


def company_readings():
    return Reading.objects.filter(origin=Reading.Origin.COMPANY)


def test_a_good_file_is_imported(route, capsys, travel):
    first, second, write = route
    travel(2026, 4, 20)
    serial = second.meters.get().serial
    path = write(
        "cil;contador;data;indice;leitor\n"
        f"{first.cil};;14/04/2026;1234;Leitor 07\n"
        f";{serial};2026-04-15;88;Leitor 07\n"
    )
    call_command("import_readings", str(path))
    assert "Importadas 2 leitura(s)." in capsys.readouterr().out
    reading = company_readings().get(installation=first)
    assert reading.index == 1234 and reading.taken_on == datetime.date(2026, 4, 14)
    assert reading.reader == "Leitor 07" and reading.status == Reading.Status.BILLABLE
    assert company_readings().get(installation=second).meter.serial == serial


def test_a_bad_line_rejects_the_whole_file_and_says_why(route, capsys, travel):
    first, second, write = route
    travel(2026, 4, 20)
    path = write(
        "cil,contador,data,indice,leitor\n"
        f"{first.cil},,14/04/2026,1234,Leitor 07\n"
        "999999,,14/04/2026,10,Leitor 07\n"
        f"{second.cil},,31/02/2026,10,Leitor 07\n"
        f"{second.cil},,14/04/2026,12.5,Leitor 07\n"
        f"{second.cil},,30/04/2026,12,Leitor 07\n"
        f"{first.cil},,15/04/2026,1000,Leitor 07\n"
        f"{first.cil},SN-NOPE,15/04/2026,1300,Leitor 07\n"
    )
    with pytest.raises(CommandError, match="Nada foi importado: 6 linha"):
        call_command("import_readings", str(path))
    errors = capsys.readouterr().err
    assert "Linha 3: CIL 999999 não existe" in errors
    assert "Linha 4: data inválida «31/02/2026»" in errors
    assert "Linha 5: índice inválido «12.5»" in errors
    assert "Linha 6: A data da leitura não pode ser no futuro." in errors
    assert "Linha 7: A leitura é inferior à leitura dos SMAS de 14/04/2026 (1234 m³)." in errors
    assert "Linha 8: contador SN-NOPE não existe" in errors
    assert not company_readings().exists()  # line 2 was good, but nothing is half-imported


def test_dry_run_checks_without_storing(route, capsys, travel):
    first, _second, write = route
    travel(2026, 4, 20)
    path = write(f"cil;data;indice\n{first.cil};14/04/2026;10\n")
    call_command("import_readings", str(path), "--dry-run")
    assert "Ficheiro válido: 1 leitura(s)" in capsys.readouterr().out
    assert not company_readings().exists()


def test_a_file_without_the_columns_is_refused(route):
    _first, _second, write = route
    with pytest.raises(CommandError):
        call_command("import_readings", str(write("nome;valor\nx;1\n")))
