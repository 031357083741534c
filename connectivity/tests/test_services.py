import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEntry, Role
from connectivity import hooks, selectors, services
from connectivity.models import (
    Observation,
    Place,
    Programme,
    SitingPlan,
    Tower,
    TowerStatusChange,
    VillageStatus,
)
from regions.models import Region

pytestmark = pytest.mark.django_db

TABANG_UMAQ_DIAN = "64.02.12.2005"
TENGGARONG_VILLAGE = "64.02.06.1001"


def village(kode: str = TABANG_UMAQ_DIAN) -> Region:
    return Region.objects.get(kode=kode)


def at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def survey(region: Region, technology: str, **fields: Any) -> Observation:
    """Staff surveyed ``technology`` in ``region`` (no actor: the system)."""
    fields.setdefault("method", "survey")
    return services.observation_create(
        actor=None, region=region, technology=technology, **fields
    )


def tower_at(region: Region, name: str, **fields: Any) -> Tower:
    """A BAKTI tower at the village's representative point, unless told otherwise."""
    values = {"lat": region.rep_lat, "lng": region.rep_lng, "owner": "bakti"}
    return services.tower_create(
        actor=None, region=region, name=name, **(values | fields)
    )


def test_default_weights_are_documented_values() -> None:
    assert services.place_default_weight(kind="office") == 3
    assert services.place_default_weight(kind="market") == 2
    assert services.place_default_weight(kind="settlement") == 1
    assert services.place_default_weight(kind="settlement", population=450) == 4.5
    assert services.place_default_weight(kind="settlement", households=50) == 2.0


def test_weights_can_be_configured(settings) -> None:
    settings.CONNECTIVITY_PLACE_WEIGHTS = {"school": 5}
    assert services.place_default_weight(kind="school") == 5
    assert services.place_default_weight(kind="office") == 3


def test_office_defaults_to_the_representative_point() -> None:
    v = village()
    office = services.village_office_ensure(region=v)
    assert (office.lat, office.lng) == (v.rep_lat, v.rep_lng)
    assert office.at_default_location
    assert services.village_office_ensure(region=v) == office
    services.place_update(actor=None, place=office, lat=v.point[0] + 0.01)
    office.refresh_from_db()
    assert not office.at_default_location


def test_offices_for_a_whole_region_once() -> None:
    kec = Region.objects.get(kode="64.02.12")
    n = services.village_offices_ensure(region=kec)
    assert n == kec.children.count()
    assert services.village_offices_ensure(region=kec) == 0


def test_swapped_and_foreign_coordinates_are_refused() -> None:
    v = village()
    with pytest.raises(ValidationError) as swapped:
        services.place_create(
            actor=None, region=v, kind="school", name="SD", lat=116.09, lng=0.53
        )
    assert "tertukar" in str(swapped.value)
    with pytest.raises(ValidationError) as outside:
        services.place_create(
            actor=None, region=v, kind="school", name="SD", lat=48.8, lng=2.35
        )
    assert "di luar Indonesia" in str(outside.value)
    assert not Place.objects.filter(kind="school").exists()


def test_office_silent_makes_a_blankspot_and_signal_clears_it() -> None:
    v = village()
    office = services.village_office_ensure(region=v)
    survey(v, "none", place=office, observed_at=at(30))
    assert VillageStatus.objects.get(region=v).status == "blankspot"
    survey(v, "4g", place=office, observed_at=at(1))
    status = VillageStatus.objects.get(region=v)
    assert status.status == "covered"
    assert status.office_signal is True
    assert status.best_tech == "4g"


def test_most_settlement_weight_without_signal_is_a_blankspot() -> None:
    v = village()
    office = services.village_office_ensure(region=v)
    big, small = (
        services.place_create(
            actor=None,
            region=v,
            kind="settlement",
            name=name,
            lat=v.rep_lat,
            lng=v.rep_lng,
            population=population,
        )
        for name, population in [("RT 1", 800), ("RT 2", 100)]
    )
    for place, tech in [(office, "4g"), (big, "none"), (small, "4g")]:
        survey(v, tech, place=place)
    status = VillageStatus.objects.get(region=v)
    assert status.status == "blankspot"
    assert status.settlement_weight == 9.0
    assert status.settlement_weight_signal == 1.0
    survey(v, "3g", place=big)
    assert VillageStatus.objects.get(region=v).status == "covered"


def test_village_level_observation_applies_to_places_without_their_own() -> None:
    v = village()
    survey(v, "none", method="bakti_list")
    office = Place.objects.get(region=v, kind="office")
    assert office.observed_tech == "none"
    assert office.observed_from_village
    assert VillageStatus.objects.get(region=v).status == "blankspot"


def test_latest_observation_per_operator_counts() -> None:
    v = village()
    office = services.village_office_ensure(region=v)
    survey(v, "4g", place=office, operator="telkomsel", observed_at=at(10))
    survey(v, "none", place=office, operator="xl", observed_at=at(1))
    # Telkomsel still works: the office has signal.
    assert VillageStatus.objects.get(region=v).office_signal is True
    survey(v, "none", place=office, observed_at=at(0))
    # An observation for every operator supersedes the older ones.
    assert VillageStatus.objects.get(region=v).office_signal is False


def test_public_reports_stay_apart_until_confirmed(make_user) -> None:
    v = village()
    survey(v, "4g", observed_at=at(5))
    report, created = services.report_submit(
        actor=None, idempotency_key="key-0001-abcdef", region=v, technology="none"
    )
    assert created and report.status == "unconfirmed"
    again, created_again = services.report_submit(
        actor=None, idempotency_key="key-0001-abcdef", region=v, technology="none"
    )
    assert again.pk == report.pk and not created_again
    assert VillageStatus.objects.get(region=v).status == "covered"
    staff = make_user(Role.DISTRICT_OPERATOR, "64.02.12")
    services.observation_review(actor=staff, observation=report, confirm=True)
    assert VillageStatus.objects.get(region=v).status == "blankspot"
    assert AuditEntry.objects.filter(object_id=str(report.pk), action="update").exists()


def test_report_by_location_finds_the_village() -> None:
    v = village()
    report, _ = services.report_submit(
        actor=None, idempotency_key="by-location-1", lat=v.rep_lat, lng=v.rep_lng
    )
    assert report.region_id == v.kode


def test_kim_member_reports_are_unconfirmed_and_out_of_area_refused(make_user) -> None:
    v = village()
    kim = make_user(Role.KIM_MEMBER, "64.02.12")
    obs = services.observation_create(
        actor=kim, region=v, technology="none", method="survey"
    )
    assert obs.status == Observation.Status.UNCONFIRMED
    assert VillageStatus.objects.filter(region=v, status="blankspot").count() == 0
    with pytest.raises(PermissionDenied):
        services.observation_create(
            actor=kim,
            region=village(TENGGARONG_VILLAGE),
            technology="none",
            method="survey",
        )
    with pytest.raises(PermissionDenied):
        services.tower_create(
            actor=kim, region=v, name="X", lat=v.rep_lat, lng=v.rep_lng, owner="bakti"
        )


def test_blankspot_list_import_is_idempotent() -> None:
    rows = hooks.blankspot_rows()
    first = services.blankspots_import(rows=rows)
    assert first.villages == 19 and first.observations == 19 and not first.missing
    second = services.blankspots_import(rows=rows)
    assert second.observations == 0
    kukar = Region.objects.get(kode="64.02")
    assert selectors.village_statuses(region=kukar, status="blankspot").count() == 19
    programme = Programme.objects.get(slug=services.KUKAR_PROGRAMME)
    assert programme.villages.count() == 19
    assert Observation.objects.filter(method="government_list").count() == 19


def test_tower_status_history_and_predicted_coverage() -> None:
    v = village()
    office = services.village_office_ensure(region=v)
    tower = tower_at(v, "BTS Umaq Dian", lat=v.point[0] + 0.02)
    assert 9 < (tower.predicted_range_km or 0) < 10  # Hata suburban, 42 m, 900 MHz
    for status in ["surveyed", "land_ready", "construction", "on_air"]:
        services.tower_status_set(actor=None, tower=tower, status=status)
    assert list(
        TowerStatusChange.objects.filter(tower=tower).values_list(
            "to_status", flat=True
        )
    ) == ["proposed", "surveyed", "land_ready", "construction", "on_air"]
    services.coverage_refresh(region=v)
    office.refresh_from_db()
    assert office.predicted_covered is True
    # Predicted coverage never changes the observed status.
    assert office.observed_tech == ""
    assert services.village_status_refresh(region=v).status == "unknown"


def test_itm_and_cost231_models_are_chosen_per_site() -> None:
    v = village()
    itm = tower_at(v, "ITM", owner="other", model="itm", terrain="mountains")
    flat = tower_at(v, "ITM flat", owner="other", model="itm", terrain="flat")
    cost = tower_at(v, "1800", owner="operator", model="cost231", frequency_mhz=1800)
    assert (flat.predicted_range_km or 0) > (itm.predicted_range_km or 0)
    assert (cost.predicted_range_km or 99) < 9


def test_dossier_checklist() -> None:
    v = village()
    tower = tower_at(v, "BTS")
    assert not tower.dossier.complete
    dossier = services.tower_dossier_update(
        actor=None,
        tower=tower,
        land_status="offered",
        land_letter="140/12/2024",
        access="river",
        power_available="solar",
        request_letter="555/1/2024",
        support_letter="555/2/2024",
    )
    assert dossier.complete
    with pytest.raises(ValidationError):
        services.tower_dossier_update(actor=None, tower=tower, land_width_m=-1)


def test_plan_for_a_region_raises_the_covered_share() -> None:
    hooks.demo()
    kukar = Region.objects.get(kode="64.02")
    plan = services.plan_create(actor=None, region=kukar, budget=10)
    assert plan.status == SitingPlan.Status.DONE
    assert plan.result["n_selected"] == 10
    assert (plan.covered_share_after or 0) > (plan.covered_share_before or 1)
    assert (
        plan.result["gap"] >= 0
        and plan.result["bound"] >= plan.result["covered_weight"]
    )
    towers = services.plan_adopt(actor=None, plan=plan)
    new = [s for s in plan.result["selected"] if not s.startswith("tower:")]
    assert len(towers) == len(new) > 0
    assert all(t.status == "proposed" and t.plan_id == plan.pk for t in towers)
    assert services.plan_adopt(actor=None, plan=plan) == sorted(
        towers, key=lambda t: t.pk
    )


def test_plan_with_zero_budget_is_a_clear_error() -> None:
    kec = Region.objects.get(kode="64.02.12")
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=None, region=kec, budget=0)
    assert "budget" in exc.value.message_dict


def test_plan_without_candidates_answers_with_a_reason() -> None:
    kec = Region.objects.get(kode="64.02.12")
    plan = SitingPlan.objects.create(
        region=kec,
        budget=3,
        radius_km=10,
        instance={
            "demand": [{"id": "a", "lat": 0.5, "lng": 116.0, "weight": 1}],
            "candidates": [],
            "budget": 3,
        },
    )
    services.plan_run(plan=plan)
    assert plan.status == "done"
    assert plan.result["selected"] == []
    assert "candidate" in plan.error


def test_progress_and_snapshot() -> None:
    hooks.demo()
    kukar = Region.objects.get(kode="64.02")
    p = selectors.progress(region=kukar)
    assert p.villages == 237
    assert p.villages_blankspot == 16 and p.villages_signal == 3
    assert p.towers_on_air > 0
    snap = services.progress_snapshot_take(region=kukar)
    assert snap.villages_signal == 3
    children = selectors.progress_children(region=kukar)
    assert len(children) == 20
    assert sum(c.villages_blankspot for c in children) == 16
    assert Tower.objects.filter(source="demo/estimate").exists()


def test_big_plans_run_in_the_worker(django_capture_on_commit_callbacks) -> None:
    kec = Region.objects.get(kode="64.02.12")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plan = services.plan_create(actor=None, region=kec, budget=2, run_inline=False)
        assert plan.status == SitingPlan.Status.PENDING
    assert callbacks
    plan.refresh_from_db()
    assert plan.status == SitingPlan.Status.DONE
    assert plan.result["n_selected"] == 2


def test_a_place_weight_beyond_the_bound_is_a_validation_error() -> None:
    v = Region.objects.get(kode="64.02.12.2005")
    for weight in (1e308, float("inf"), float("nan"), -1.0):
        with pytest.raises(ValidationError):
            services.place_create(
                actor=None,
                region=v,
                kind="port",
                name="Dermaga",
                lat=v.rep_lat,
                lng=v.rep_lng,
                weight=weight,
            )
    assert not Place.objects.filter(kind="port").exists()


def test_a_plan_whose_solver_crashes_ends_failed_with_the_reason(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    import connectivity.siting

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("HiGHS status 4")

    monkeypatch.setattr(connectivity.siting, "plan", crash)
    kec = Region.objects.get(kode="64.02.12")
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_create(actor=None, region=kec, budget=2, run_inline=False)
    plan.refresh_from_db()
    assert plan.status == SitingPlan.Status.FAILED
    assert "HiGHS status 4" in plan.error and plan.finished_at is not None
    inline = services.plan_create(actor=None, region=kec, budget=2, run_inline=True)
    assert inline.status == SitingPlan.Status.FAILED


def test_plans_left_running_by_a_stopped_worker_end_failed() -> None:
    from connectivity.tasks import plans_stale_fail_task

    kec = Region.objects.get(kode="64.02.12")
    now = timezone.now()
    stale, fresh = (
        SitingPlan.objects.create(
            region=kec,
            budget=2,
            radius_km=5,
            status=SitingPlan.Status.RUNNING,
            started_at=now - age,
        )
        for age in (dt.timedelta(hours=1), dt.timedelta(minutes=1))
    )
    assert plans_stale_fail_task.call() == 1  # the periodic task itself
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == SitingPlan.Status.FAILED and "berhenti" in stale.error
    assert fresh.status == SitingPlan.Status.RUNNING
