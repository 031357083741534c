"""PostgreSQL only: trigram indexes for the public hoax archive's search
(``factcheck_public_list``: ``icontains`` on title and claim, which PostgreSQL
runs as ``UPPER(col::text) LIKE UPPER('%word%')``): with 100,000 fact-checks a
search otherwise reads them all. Skipped where ``pg_trgm`` is unavailable."""

from django.db import migrations

INDEXES = {
    "factcheck_title_upper_trgm": "title",
    "factcheck_claim_upper_trgm": "claim_reviewed",
}


def forwards(apps, schema_editor):
    from regions.migrations import _trigram

    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not _trigram.available(connection):
        return
    with connection.cursor() as cursor:
        for name, column in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON factcheck_factcheck "
                f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0010_images"),
        ("regions", "0003_gen_search_trigram"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
