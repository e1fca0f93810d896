from django.urls import path

from . import token_views, views

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("two-factor/", views.otp_verify_view, name="otp-verify"),
    path("two-factor/setup/", views.otp_setup_view, name="otp-setup"),
    path("two-factor/setup/qr.svg", views.otp_qr_view, name="otp-qr"),
    path("confirm/", views.reauth_view, name="reauth"),
    path("tokens/", token_views.api_tokens, name="api-tokens"),
    path("tokens/revoke/", token_views.api_token_revoke_view, name="api-token-revoke"),
]
