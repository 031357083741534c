from django.urls import path

from channels import views

app_name = "channels"

# One callback URL per provider (Meta allows one per WhatsApp app, Telegram one
# webhook per bot): every app's inbound traffic arrives here.
urlpatterns = [
    path("hooks/telegram/", views.telegram_hook, name="telegram"),
    path("hooks/whatsapp/", views.whatsapp_hook, name="whatsapp"),
    path("hooks/sms/", views.sms_hook, name="sms"),
    path("berhenti/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
