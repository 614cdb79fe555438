from django.urls import path

from balcao.accounts import views

app_name = "accounts"

urlpatterns = [
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("sair/", views.LogoutView.as_view(), name="logout"),
    # Registo (manual section 2)
    path("registo/", views.register, name="register"),
    path("registo/dados-de-acesso/", views.register_access, name="register_access"),
    path("confirmar-email/<token:token>/", views.confirm_email, name="confirm_email"),
    path("confirmar-email/", views.resend_confirmation, name="resend_confirmation"),
    # Esqueceu-se da Palavra-Chave? (manual section 5)
    path("recuperar-password/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "recuperar-password/enviado/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "recuperar-password/<token:uidb64>/<token:token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # O Meu Perfil (manual section 3) and Modificar Password (section 4)
    path("perfil/", views.profile, name="profile"),
    path("perfil/titular/", views.edit_holder, name="edit_holder"),
    path("perfil/morada/", views.edit_address, name="edit_address"),
    path("perfil/email/", views.change_email, name="change_email"),
    path(
        "perfil/email/<token:uidb64>/<token:token>/",
        views.confirm_email_change,
        name="confirm_email_change",
    ),
    path("perfil/password/", views.password_change, name="password_change"),
    # Beyond the original: activity, two-factor login, personal data, closing
    path("atividade/", views.activity, name="activity"),
    path("atividade/terminar-sessoes/", views.end_other_sessions, name="end_other_sessions"),
    path("dois-passos/", views.two_factor, name="two_factor"),
    path("dois-passos/ativar/", views.otp_setup, name="otp_setup"),
    path("dois-passos/verificar/", views.otp_verify, name="otp_verify"),
    path("dois-passos/desativar/", views.otp_disable, name="otp_disable"),
    path("dois-passos/codigos/", views.recovery_codes, name="recovery_codes"),
    path("os-meus-dados/", views.my_data, name="my_data"),
    path("os-meus-dados/dados.json", views.export_json, name="export_json"),
    path("os-meus-dados/dados-csv.zip", views.export_csv, name="export_csv"),
    path("encerrar/", views.close_account, name="close_account"),
]
