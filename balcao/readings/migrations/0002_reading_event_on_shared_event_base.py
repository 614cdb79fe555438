"""ReadingEvent on balcao.core.events.Event: status becomes kind, note becomes text; rows kept."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):

    dependencies = [
        ('readings', '0001_reading_events_and_reminders'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name='readingevent', old_name='status', new_name='kind'),
        migrations.AlterField(model_name='readingevent', name='kind', field=models.CharField(choices=[('received', 'Recebida'), ('billable', 'Validada para faturação'), ('history', 'Apenas para histórico'), ('invoiced', 'Usada na fatura')], max_length=30, verbose_name='o quê')),
        migrations.AlterField(model_name='readingevent', name='note', field=models.TextField(blank=True, verbose_name='nota')),
        migrations.AlterField(model_name='readingevent', name='at', field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
        migrations.AlterField(model_name='readingevent', name='actor', field=models.ForeignKey(blank=True, help_text='Vazio quando foi o sistema.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='quem')),
    ]
