from django.urls import path

from channels import views
from channels.social import views as social

app_name = "channels"

# One callback URL per provider (Meta allows one per WhatsApp app, Telegram one
# webhook per bot): every app's inbound traffic arrives here.
urlpatterns = [
    path("hooks/telegram/", views.telegram_hook, name="telegram"),
    path("hooks/whatsapp/", views.whatsapp_hook, name="whatsapp"),
    path("hooks/sms/", views.sms_hook, name="sms"),
    path("berhenti/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Social accounts (the OAuth redirect URI is sosial/facebook/kembali/).
    path(
        "sosial/hubungkan/<str:kind>/<str:owner_id>/",
        social.connect_start,
        name="social_connect",
    ),
    path(
        "sosial/hubungkan/<str:kind>/<str:owner_id>/<str:platform>/",
        social.connect_start_oauth2,
        name="social_connect_oauth2",
    ),
    path("sosial/facebook/kembali/", social.connect_callback, name="social_callback"),
    # X and TikTok: register {SITE_URL}/sosial/x/kembali/ and …/tiktok/kembali/.
    path(
        "sosial/<str:platform>/kembali/",
        social.connect_callback_oauth2,
        name="social_oauth2_callback",
    ),
    path("sosial/facebook/pilih/", social.connect_choose, name="social_choose"),
    path("sosial/gagal/", social.connect_failed, name="social_failed"),
    path("sosial/akun/<int:pk>/putuskan/", social.account_revoke, name="social_revoke"),
    path("sosial/akun/<int:pk>/berbagi/", social.account_share, name="social_share"),
    path("sosial/kantor/<str:kode>/", social.office_accounts, name="social_office"),
]
