"""SubscriptionEvent on balcao.core.events.Event (at defaults to now instead of auto_now_add,
indexed), and ContractEvent: a contract's status moves now leave a row."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0002_activation_events_and_letters'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(model_name='subscriptionevent', name='at', field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
        migrations.CreateModel(
            name='ContractEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
                ('kind', models.CharField(choices=[('ended', 'Contrato terminado')], max_length=30, verbose_name='o quê')),
                ('note', models.TextField(blank=True, verbose_name='nota')),
                ('actor', models.ForeignKey(blank=True, help_text='Vazio quando foi o sistema.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='quem')),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='contracts.contract', verbose_name='contrato')),
            ],
            options={
                'verbose_name': 'evento do contrato',
                'verbose_name_plural': 'eventos dos contratos',
                'ordering': ['at', 'pk'],
                'abstract': False,
            },
        ),
    ]
