"""RequestEvent on balcao.core.events.Event: action becomes kind, at defaults to now; rows kept."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):

    dependencies = [
        ('service_requests', '0001_requests_events_attachments'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name='requestevent', old_name='action', new_name='kind'),
        migrations.AlterField(model_name='requestevent', name='kind', field=models.CharField(choices=[('submitted', 'Submetido'), ('in_progress', 'Em resolução'), ('answered', 'Respondido e fechado'), ('accepted', 'Aceite e aplicado'), ('rejected', 'Rejeitado'), ('notified', 'Cliente notificado')], max_length=30, verbose_name='o quê')),
        migrations.AlterField(model_name='requestevent', name='at', field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
        migrations.AlterField(model_name='requestevent', name='actor', field=models.ForeignKey(blank=True, help_text='Vazio quando foi o sistema.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='quem')),
    ]
