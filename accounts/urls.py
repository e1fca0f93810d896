from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("two-factor/", views.otp_verify_view, name="otp-verify"),
    path("two-factor/setup/", views.otp_setup_view, name="otp-setup"),
    path("two-factor/setup/qr.svg", views.otp_qr_view, name="otp-qr"),
]
