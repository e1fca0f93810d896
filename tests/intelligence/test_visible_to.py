import pytest

from intelligence.models import IntelligenceRecord
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db):
    return {
        "p": factories.make_record(handling_code="P"),
        "c": factories.make_record(
            handling_code="C", handling_conditions="Not to leave CSE team"
        ),
        "legacy4": factories.make_record(
            grading_scheme="5x5x5",
            source_evaluation="B",
            intelligence_assessment="2",
            handling_code="4",
        ),
        "legacy1": factories.make_record(
            grading_scheme="5x5x5",
            source_evaluation="B",
            intelligence_assessment="2",
            handling_code="1",
        ),
    }


def _refs(user):
    return set(
        IntelligenceRecord.objects.visible_to(user).values_list("reference", flat=True)
    )


def test_analyst_sees_every_record_including_handling_c(records, analyst):
    assert _refs(analyst) == {r.reference for r in records.values()}


def test_roles_without_record_access_see_no_content(
    records, licensing_officer, safety_officer
):
    assert _refs(licensing_officer) == set()
    assert _refs(safety_officer) == set()


def test_user_without_clearance_misses_restricted_handling(records, analyst):
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(codename="view_handling_c")
    analyst.groups.first().permissions.remove(perm)
    analyst = type(analyst).objects.get(pk=analyst.pk)  # drop the permission cache
    assert _refs(analyst) == {records["p"].reference, records["legacy1"].reference}


def test_inactive_user_sees_nothing(records, analyst):
    analyst.is_active = False
    assert _refs(analyst) == set()
