"""What the uploads of received files share (the Multibanco files, the bank's answers to the
direct debit files): the form's file field with its checks, and the admin whose "Adicionar"
page is the upload and whose page of a file follows its import in the background."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from balcao.core.admin import PortugueseAdminMixin
from balcao.payments.models.received_files import ReceivedFile
from balcao.payments.services.received_files import AlreadyImported, earlier_import

MAX_UPLOAD = 50 * 1024 * 1024  # 10⁶ Multibanco lines of about 50 bytes


class ReceivedFileForm(forms.ModelForm):
    """The upload: a file of at most MAX_UPLOAD that ``check_content`` accepts (it raises a
    ValidationError saying what the file should be) and that was not imported before."""

    upload: forms.FileField

    class Meta:
        fields: list[str] = []

    def check_content(self, data: bytes) -> None:
        raise NotImplementedError

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("O ficheiro tem mais de 50 MB."), code="too_big")
        data = upload.read()
        self.check_content(data)
        earlier = earlier_import(self._meta.model, data)
        if earlier is not None:
            raise forms.ValidationError(
                _("Este ficheiro já foi importado em %(date)s (%(name)s): nada a fazer."),
                params={"date": f"{earlier.created_at:%d/%m/%Y}", "name": earlier.name},
                code="already_imported",
            )
        self.data_bytes = data
        return upload


class ReceivedFileAdmin(PortugueseAdminMixin, admin.ModelAdmin):
    """ "Adicionar" is the upload (``upload_form``); ``start_import`` records the file and
    queues its import; then the file's page, read-only, shows how far it got."""

    upload_form: type[ReceivedFileForm]

    def start_import(self, *, name: str, data: bytes, actor) -> ReceivedFile:
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.upload_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["upload"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        try:
            created = self.start_import(name=upload.name, data=form.data_bytes, actor=request.user)
        except AlreadyImported as error:  # a race with another upload of the same file
            raise PermissionDenied(str(error)) from error
        obj.pk, obj.name = created.pk, created.name
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
