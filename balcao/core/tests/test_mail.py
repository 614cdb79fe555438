from email import message_from_bytes

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from balcao.core.mail import EmlFileBackend


def test_demo_backend_writes_one_eml_file_per_message(settings, tmp_path):
    settings.EMAIL_FILE_PATH = tmp_path
    messages = [
        EmailMultiAlternatives(subject=f"Mensagem {n}", body="Olá", to=["ana.silva@example.pt"])
        for n in range(3)
    ]
    assert EmlFileBackend().send_messages(messages) == 3
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 3
    subjects = {message_from_bytes(f.read_bytes())["Subject"] for f in files}
    assert subjects == {"Mensagem 0", "Mensagem 1", "Mensagem 2"}


@pytest.mark.django_db(transaction=True)
def test_templated_email_is_sent_only_after_commit():
    from django.db import transaction

    from balcao.core.mail import send_templated_email

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        send_templated_email(to="ana@example.pt", template="core_test", context={"name": "Ana"})
        raise Rollback
    assert mail.outbox == []
    with transaction.atomic():
        send_templated_email(to="ana@example.pt", template="core_test", context={"name": "Ana"})
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Teste para Ana"
    assert "Olá Ana" in message.body
    assert "<p>Olá Ana</p>" in message.alternatives[0].content
