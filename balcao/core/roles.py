"""Staff roles are Django groups; each app declares what its roles may do.

An app's AppConfig may have ``staff_permissions = {"Atendimento": ["view_x", ...]}``
(codenames of that app's models). After every migrate the groups are brought up to
date, so a new deployment and the demo have the same roles.
"""

from django.apps import apps

STAFF_GROUPS = ("Atendimento", "Faturação", "Leituras")


def sync_staff_groups(sender=None, **kwargs):
    # Run once, after the last app with models has migrated (its permissions exist then).
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender is not None and sender.label != last.label:
        return
    from django.contrib.auth.models import Group, Permission

    wanted: dict[str, set[tuple[str, str]]] = {name: set() for name in STAFF_GROUPS}
    for config in apps.get_app_configs():
        for group, codenames in getattr(config, "staff_permissions", {}).items():
            wanted.setdefault(group, set()).update((config.label, code) for code in codenames)
    for name, perms in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        objects = [
            perm
            for perm in Permission.objects.select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in perms
        ]
        group.permissions.set(objects)
