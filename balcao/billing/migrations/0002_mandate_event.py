"""MandateEvent: a mandate's status moves (cancelled when replaced) now leave a row."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0001_direct_debit_mandate'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MandateEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
                ('kind', models.CharField(choices=[('cancelled', 'Autorização cancelada')], max_length=30, verbose_name='o quê')),
                ('note', models.TextField(blank=True, verbose_name='nota')),
                ('actor', models.ForeignKey(blank=True, help_text='Vazio quando foi o sistema.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='quem')),
                ('mandate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='billing.directdebitmandate', verbose_name='autorização de débito direto')),
            ],
            options={
                'verbose_name': 'evento da autorização de débito direto',
                'verbose_name_plural': 'eventos das autorizações de débito direto',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
    ]
