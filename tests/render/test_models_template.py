"""model.py / enum.py templates: a hand-built IR rendered, imported and exercised."""

from __future__ import annotations

import math

import pydantic
import pytest

from tests.render.conftest import sample_api


@pytest.fixture
def pkg(build_package):  # type: ignore[no-untyped-def]
    return build_package(sample_api(), "sample_models_pkg")


def test_aliases_inheritance_and_round_trip(pkg) -> None:  # type: ignore[no-untyped-def]
    models = pkg.models
    body = {
        "@odata.type": "#microsoft.graph.synchronizationJob",
        "id": "j1",
        "templateId": "T",
        "enabled": False,
        "count": 2,
        "undocumented": {"kept": [1, 2]},
    }
    job = models.SynchronizationJob.model_validate(body)
    assert job.template_id == "T" and job.id == "j1" and job.enabled is False
    assert isinstance(job, models.Entity)  # inheritance along the base-type chain
    assert job.to_json() == body  # JSON names out, unknown properties kept, nothing added
    by_name = models.SynchronizationJob(template_id="T")  # snake_case accepted on input too
    # built in Python, a derived type writes its own @odata.type
    assert by_name.to_json() == {
        "@odata.type": "#microsoft.graph.synchronizationJob",
        "templateId": "T",
    }


def test_polymorphic_reading_by_odata_type(pkg) -> None:  # type: ignore[no-untyped-def]
    models = pkg.models
    obj = models.DirectoryObject.model_validate(
        {"@odata.type": "#microsoft.graph.user", "displayName": "Ann"}
    )
    assert type(obj) is models.User and obj.display_name == "Ann"
    job = models.SynchronizationJob.model_validate(
        {
            "owner": {
                "@odata.type": "#microsoft.graph.user",
                "manager": {"@odata.type": "#microsoft.graph.user", "displayName": "Boss"},
            }
        }
    )
    assert type(job.owner.manager) is models.User
    # a subclass in a base-typed attribute keeps all its properties when written
    assert job.to_json()["owner"]["manager"] == {
        "@odata.type": "#microsoft.graph.user",
        "displayName": "Boss",
    }


def test_open_enum_accepts_undocumented_values(pkg) -> None:  # type: ignore[no-untyped-def]
    models = pkg.models
    assert models.JobState("active") is models.JobState.ACTIVE
    user = models.User.model_validate({"state": "brandNew"})
    assert user.state == "brandNew" and isinstance(user.state, models.JobState)
    assert user.to_json() == {"@odata.type": "#microsoft.graph.user", "state": "brandNew"}


def test_values_round_trip_textually(pkg) -> None:  # type: ignore[no-untyped-def]
    models = pkg.models
    body = {
        "deletedDateTime": "2021-01-01T10:00:00.1234567Z",
        "birthday": "1990-05-01",
        "score": 1,
        "tags": ["a"],
    }
    user = models.User.model_validate(body)
    assert user.deleted_date_time.year == 2021 and user.birthday.month == 5
    tag = {"@odata.type": "#microsoft.graph.user"}  # a derived type writes its own
    assert user.to_json() == {**tag, **body} and isinstance(user.to_json()["score"], int)
    special = models.User.model_validate({"score": "NaN"})
    assert math.isnan(special.score) and special.to_json() == {**tag, "score": "NaN"}


@pytest.mark.parametrize(
    "body", [{"enabled": "Boolean"}, {"count": "3"}, {"count": 1.5}, {"owner": "not an object"}]
)
def test_wrong_json_types_are_rejected(pkg, body) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(pydantic.ValidationError):
        pkg.models.SynchronizationJob.model_validate(body)
    with pytest.raises(pydantic.ValidationError):
        pkg.models.User.model_validate({"deletedDateTime": "String (timestamp)"})


def test_placeholder_is_permissive_and_documents_why(pkg) -> None:  # type: ignore[no-untyped-def]
    models = pkg.models
    assert "D401" in models.SynchronizationSchedule.__doc__
    job = models.SynchronizationJob.model_validate({"schedule": {"interval": "PT1H"}})
    assert isinstance(job.schedule, models.SynchronizationSchedule)
    assert models.SynchronizationJob.model_validate({"schedule": "weekly"}).schedule == "weekly"


def test_models_load_lazily(pkg) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys
    from pathlib import Path

    root = Path(pkg.__file__).parent.parent
    code = (
        "import sys, sample_models_pkg.models as m; assert 'sample_models_pkg.models.user' not in "
        "sys.modules; m.User; assert 'sample_models_pkg.models.user' in sys.modules; print(sorted(m.__all__))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(
        [
            "DirectoryObject",
            "Entity",
            "JobState",
            "SynchronizationJob",
            "SynchronizationSchedule",
            "User",
        ]
    )
