"""PostgreSQL only: trigram indexes for the region search (``region_list``
matches ``LIKE '%name%'`` on the folded names): at national scale (91,599
regions) every search otherwise reads the whole table. Skipped, with a note,
where the ``pg_trgm`` extension cannot be created."""

from django.db import migrations

from regions.migrations import _trigram

INDEXES = {
    "regions_region_search_name_trgm": "search_name",
    "regions_region_search_key_trgm": "search_key",
    "regions_region_former_search_trgm": "former_search",
}


class Migration(migrations.Migration):
    dependencies = [("regions", "0002_national_regions")]
    operations = [_trigram.index_operation("regions_region", INDEXES)]
