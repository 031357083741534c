from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "atur-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("staf/", views.dashboard, name="dashboard"),
    path("staf/pengguna/", views.user_list, name="user_list"),
    path("staf/pengguna/baru/", views.user_create, name="user_create"),
    path("staf/pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("staf/token/", views.token_list, name="tokens"),
    path("staf/token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("staf/audit/", views.audit_log, name="audit"),
]
