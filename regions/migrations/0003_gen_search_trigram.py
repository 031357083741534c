"""PostgreSQL only: trigram indexes for the region search (``region_list``
matches ``LIKE '%name%'`` on the folded names): at national scale (91,599
regions) every search otherwise reads the whole table. Skipped, with a note,
where the ``pg_trgm`` extension cannot be created."""

from django.db import migrations

INDEXES = {
    "regions_region_search_name_trgm": "search_name",
    "regions_region_search_key_trgm": "search_key",
    "regions_region_former_search_trgm": "former_search",
}


def forwards(apps, schema_editor):
    from regions.migrations import _trigram

    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not _trigram.available(connection):
        return
    with connection.cursor() as cursor:
        for name, column in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON regions_region "
                f"USING gin ({column} gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_national_regions")]
    operations = [migrations.RunPython(forwards, backwards)]
