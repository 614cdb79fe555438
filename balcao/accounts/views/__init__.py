"""Account pages, one module per area; URL names are in balcao/accounts/urls.py."""

from balcao.accounts.views.auth import (  # noqa: F401
    LoginView,
    LogoutView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    login_throttled,
)
from balcao.accounts.views.data import close_account, export_csv, export_json, my_data  # noqa: F401
from balcao.accounts.views.profile import (  # noqa: F401
    change_email,
    confirm_email_change,
    edit_address,
    edit_holder,
    password_change,
    profile,
)
from balcao.accounts.views.registration import (  # noqa: F401
    confirm_email,
    register,
    register_access,
    resend_confirmation,
)
from balcao.accounts.views.security import (  # noqa: F401
    activity,
    end_other_sessions,
    otp_disable,
    otp_setup,
    otp_verify,
    recovery_codes,
    two_factor,
)
