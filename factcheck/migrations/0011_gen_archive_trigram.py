"""PostgreSQL only: trigram indexes for the public hoax archive's search
(``factcheck_public_list``: ``icontains`` on title and claim, which PostgreSQL
runs as ``UPPER(col::text) LIKE UPPER('%word%')``): with 100,000 fact-checks a
search otherwise reads them all. Skipped where ``pg_trgm`` is unavailable."""

from django.db import migrations

from regions.migrations import _trigram

INDEXES = {
    "factcheck_title_upper_trgm": "(UPPER(title::text))",
    "factcheck_claim_upper_trgm": "(UPPER(claim_reviewed::text))",
}


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0010_images"),
        ("regions", "0003_gen_search_trigram"),
    ]
    operations = [_trigram.index_operation("factcheck_factcheck", INDEXES)]
