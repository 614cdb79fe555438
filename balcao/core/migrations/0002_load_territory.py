from django.db import migrations


def load(apps, schema_editor):
    from balcao.core.territory import load_territory

    load_territory(
        apps.get_model("core", "District"),
        apps.get_model("core", "Municipality"),
        apps.get_model("core", "Parish"),
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_territory_and_address")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
