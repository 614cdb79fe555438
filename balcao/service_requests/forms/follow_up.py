"""What the customer does on a request already sent: add a message, withdraw it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from balcao.service_requests.services import MAX_MESSAGE_LENGTH


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Mensagem"),
        max_length=MAX_MESSAGE_LENGTH,
        help_text=_("O Serviço de Apoio ao Cliente lê-a no histórico do pedido."),
        error_messages={
            "required": _("Escreva a mensagem que quer juntar ao pedido."),
            "max_length": _("A mensagem tem no máximo %(limit_value)d caracteres."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )
