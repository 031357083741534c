from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role

GOOD_CSV = (
    "kode_desa;nama_desa;jumlah_posyandu\n"
    "64.02.06.1001;Jahab;4\n"
    "64.02.06.1002;Loa Ipuh;9\n"
    "64.02.06.1003;Bukit Biru;7\n"
)
BAD_CSV = (
    "kode_desa;nama_desa;jumlah_posyandu\n"
    "64.02.06.1001;Jahab;4\n"
    "64.02.06.9999;Tidak Ada;9\n"
    "64.02.06.1003;Bukit Biru;tujuh\n"
)


def csv_file(text: str, name: str = "posyandu.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def offices(kaltim):  # type: ignore[no-untyped-def]
    from datahub import services
    from regions.models import Region

    make = services.office_ensure
    return {
        "tenggarong": make(
            region=Region.objects.get(kode="64.02.06"),
            kind="kecamatan",
            name="Kecamatan Tenggarong",
        ),
        "kukar": make(
            region=Region.objects.get(kode="64.02"),
            kind="diskominfo",
            name="Diskominfo Kukar",
        ),
        "tanjung_redeb": make(
            region=Region.objects.get(kode="64.03.05"),
            kind="kecamatan",
            name="Kecamatan Tanjung Redeb",
        ),
    }


@pytest.fixture
def operator(make_user):  # type: ignore[no-untyped-def]
    return make_user(Role.DISTRICT_OPERATOR, "64.02.06", email="tenggarong@example.org")


@pytest.fixture
def draft(offices, operator):  # type: ignore[no-untyped-def]
    from datahub import services
    from datahub.models import Topic

    return services.dataset_create(
        actor=operator,
        office=offices["tenggarong"],
        title="Jumlah posyandu Kecamatan Tenggarong 2025",
        description="Posyandu aktif per kelurahan.",
        topic=Topic.objects.get(slug="kesehatan"),
        frequency="annual",
        keywords=["posyandu", "kesehatan"],
    )


@pytest.fixture
def published(draft, operator):  # type: ignore[no-untyped-def]
    from datahub import services

    services.resource_upload(
        actor=operator, dataset=draft, upload=csv_file(GOOD_CSV), name="Posyandu"
    )
    return services.dataset_publish(actor=operator, dataset=draft)
