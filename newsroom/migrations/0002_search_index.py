"""PostgreSQL only: a GIN index for full-text search with the ``indonesian``
configuration (``simple`` where that configuration is missing), matching the
expression that ``newsroom.selectors.article_search`` queries."""

from django.db import migrations


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'indonesian'")
        config = "indonesian" if cursor.fetchone() else "simple"
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS newsroom_article_search_gin ON "
            "newsroom_article USING gin "
            f"(to_tsvector('{config}'::regconfig, COALESCE(search_document, '')))"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS newsroom_article_regions_code_like ON "
            "newsroom_article_regions (region_id varchar_pattern_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS newsroom_article_search_gin")
        cursor.execute("DROP INDEX IF EXISTS newsroom_article_regions_code_like")


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
