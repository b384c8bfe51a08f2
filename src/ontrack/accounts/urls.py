from django.urls import path

from ontrack.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp, name="otp"),
    path("enroll/", views.enroll, name="enroll"),
    path("enroll/qr.svg", views.enroll_qr, name="enroll_qr"),
    path("password/", views.password_change, name="password_change"),
    path("reauth/", views.reauth, name="reauth"),
]
