"""The old outbox (moved to channels by 0005) and the webhook deliveries (now
channels' ``InboundEvent``) are dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0005_outgoing_to_outbox"),
    ]

    operations = [
        migrations.DeleteModel(name="WebhookDelivery"),
        migrations.DeleteModel(name="OutgoingMessage"),
    ]
