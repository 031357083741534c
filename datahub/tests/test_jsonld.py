"""A dataset page says what it is to search engines: schema.org Dataset through
the site's one JSON-LD helper (issue 11)."""

import json
import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_dataset_page_has_schema_org_dataset(client: Client, published) -> None:
    html = client.get(published.get_absolute_url()).content.decode()
    (block,) = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    data = json.loads(block)
    assert data["@type"] == "Dataset"
    assert data["name"] == published.title
    assert data["description"] == "Posyandu aktif per kelurahan."
    assert data["url"] == f"http://testserver{published.get_absolute_url()}"
    assert data["keywords"] == ["posyandu", "kesehatan"]
    assert data["publisher"]["name"] == published.office.name
    formats = {d["encodingFormat"] for d in data["distribution"]}
    assert "text/csv" in formats
    csv_url = next(
        d["contentUrl"]
        for d in data["distribution"]
        if d["encodingFormat"] == "text/csv"
    )
    download = client.get(csv_url.removeprefix("http://testserver"))
    assert download.status_code == 200
