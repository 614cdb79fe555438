"""NoticeEvent on balcao.core.events.Event: action becomes kind, detail becomes note; rows kept."""

from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0001_notices_and_dismissals'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name='noticeevent', old_name='action', new_name='kind'),
        migrations.RenameField(model_name='noticeevent', old_name='detail', new_name='note'),
        migrations.AlterField(model_name='noticeevent', name='kind', field=models.CharField(choices=[('published', 'Publicado'), ('changed', 'Alterado'), ('withdrawn', 'Retirado')], max_length=30, verbose_name='o quê')),
        migrations.AlterField(model_name='noticeevent', name='note', field=models.TextField(blank=True, verbose_name='nota')),
        migrations.AlterField(model_name='noticeevent', name='at', field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='quando')),
        migrations.AlterField(model_name='noticeevent', name='actor', field=models.ForeignKey(blank=True, help_text='Vazio quando foi o sistema.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='quem')),
    ]
