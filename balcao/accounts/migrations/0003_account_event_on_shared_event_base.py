"""AccountEvent on balcao.core.events.Event: detail becomes note (text), at defaults to now and is
indexed, and an actor column joins (empty for the existing rows: the holder acted)."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_account_events_and_sessions'),
    ]

    operations = [
        migrations.RenameField(model_name='accountevent', old_name='detail', new_name='note'),
        migrations.AlterField(model_name='accountevent', name='note', field=models.TextField(blank=True, verbose_name='nota')),
        migrations.AlterField(model_name='accountevent', name='at', field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
        migrations.AddField(model_name='accountevent', name='actor', field=models.ForeignKey(blank=True, help_text='Vazio quando foi o sistema.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='quem')),
    ]
