"""The attachments of a request: up to three PDFs or images, checked by their content."""

import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
# What a file's first bytes must be, by the type it claims (its name is never trusted).
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
# The most pixels an attached image may declare: a 50-megapixel photo is far beyond any phone
# photo of 5 MB, and a header that declares more (a "decompression bomb") is refused before
# anything is decoded.
MAX_ATTACHMENT_PIXELS = 50_000_000


class ImageTooLarge(Exception):
    """An image whose header declares more pixels than MAX_ATTACHMENT_PIXELS."""


def detect_content_type(upload) -> str | None:
    """The file's type from its content (magic bytes, and Pillow for images)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            if content_type.startswith("image/"):
                try:
                    _check_image(upload)
                except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                    return None
                finally:
                    upload.seek(0)
            return content_type
    return None


def _check_image(upload) -> None:
    """Opens the header only: the declared size is checked before any pixel is decoded.

    Raises ImageTooLarge for a header that declares more than MAX_ATTACHMENT_PIXELS (also
    when Pillow itself calls it a decompression bomb), and Pillow's errors for a broken file.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageTooLarge from error
    with image:
        width, height = image.size
        if width * height > MAX_ATTACHMENT_PIXELS:
            raise ImageTooLarge
        image.verify()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to three PDFs or images (JPEG, PNG) of at most 5 MB each, checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Pode anexar no máximo %(count)d ficheiros.") % {"count": MAX_ATTACHMENTS}
            )
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    _("O ficheiro %(name)s tem mais de 5 MB.") % {"name": upload.name}
                )
            try:
                content_type = detect_content_type(upload)
            except ImageTooLarge:
                raise ValidationError(
                    _(
                        "A imagem %(name)s tem dimensões demasiado grandes (mais de 50 "
                        "megapíxeis). Envie uma fotografia de tamanho normal."
                    )
                    % {"name": upload.name},
                    code="image_too_large",
                ) from None
            if content_type is None:
                raise ValidationError(
                    _("O ficheiro %(name)s não é um PDF nem uma imagem JPEG ou PNG.")
                    % {"name": upload.name}
                )
            upload.checked_content_type = content_type
            cleaned.append(upload)
        return cleaned
