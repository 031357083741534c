"""The standard topics (CKAN groups) of the catalogue, after the themes that Satu
Data Indonesia portals use."""

import uuid

from django.db import migrations

TOPICS = [
    ("pemerintahan", "Pemerintahan", "Wilayah administrasi, pelayanan publik."),
    ("kependudukan", "Kependudukan", "Penduduk dan pencatatan sipil."),
    ("kesehatan", "Kesehatan", "Fasilitas dan layanan kesehatan, posyandu."),
    ("pendidikan", "Pendidikan", "Sekolah, guru dan peserta didik."),
    ("ekonomi", "Ekonomi", "UMKM, pasar, produk unggulan dan pariwisata."),
    ("infrastruktur", "Infrastruktur", "Jalan, air bersih, listrik."),
    (
        "komunikasi-informatika",
        "Komunikasi dan Informatika",
        "KIM, literasi digital, konektivitas, informasi publik.",
    ),
    ("sosial", "Sosial dan Budaya", "Kegiatan sosial, budaya dan keagamaan."),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("datahub", "Topic")
    for slug, title, description in TOPICS:
        Topic.objects.get_or_create(
            slug=slug,
            defaults={"id": uuid.uuid4(), "title": title, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("datahub", "0001_initial")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
