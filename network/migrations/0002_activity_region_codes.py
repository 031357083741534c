from django.db import migrations, models


def fill_codes(apps, schema_editor):
    Activity = apps.get_model("network", "Activity")
    Kim = apps.get_model("network", "Kim")
    for kim in Kim.objects.only("pk", "region_id").iterator():
        Activity.objects.filter(kim_id=kim.pk).update(
            district_code=kim.region_id[:8], regency_code=kim.region_id[:5]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="district_code",
            field=models.CharField(default="", editable=False, max_length=8),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="activity",
            name="regency_code",
            field=models.CharField(default="", editable=False, max_length=5),
            preserve_default=False,
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["regency_code", "status", "date", "kind"],
                name="network_act_regency_bcb265_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["district_code", "status", "date", "kind"],
                name="network_act_distric_f05f07_idx",
            ),
        ),
    ]
