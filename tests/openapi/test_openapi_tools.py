"""datamodel-code-generator and openapi-python-client accept the emitted document.

Both run offline as subprocesses on the document for the seeds (and for the hand-built rich
IR, which has inheritance, polymorphism and enums the seeds lack); the code they write must
import, and its models must load a documented example.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import load_seeds, rich_api

from generator.model.ir import Api
from generator.render.openapi import build_document, dump_document

BIN = Path(sys.executable).parent
SEED_JOB = {
    "@odata.type": "#microsoft.graph.synchronizationJob",
    "id": "4ed09b39-9b39-4ed0-399b-d04e399bd04e",
    "templateId": "String",
    "synchronizationJobSettings": [{"@odata.type": "microsoft.graph.keyValuePair"}],
}


def write_document(api: Api, folder: Path) -> Path:
    path = folder / "openapi.json"
    path.write_text(dump_document(build_document(api), "json"), encoding="utf-8")
    return path


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result


def import_all_then(folder: Path, package: str, check: str) -> str:
    """Import every module of `package` (found in `folder`) in a fresh interpreter, run `check`."""
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        sys.path.insert(0, {str(folder)!r})
        root = importlib.import_module({package!r})
        names = [m.name for m in pkgutil.walk_packages(root.__path__, {package!r} + ".")]
        for name in names:
            importlib.import_module(name)
        print(len(names), "modules imported")
        """
    )
    return run([sys.executable, "-c", script + textwrap.dedent(check)], folder).stdout


def datamodel_codegen(doc: Path, out: Path) -> None:
    run(
        [
            str(BIN / "datamodel-codegen"),
            "--input",
            str(doc),
            "--input-file-type",
            "openapi",
            "--output",
            str(out),
            "--output-model-type",
            "pydantic_v2.BaseModel",
            "--disable-timestamp",
        ],
        doc.parent,
    )


def openapi_python_client(doc: Path, name: str) -> Path:
    config = doc.parent / "opc.yaml"
    config.write_text(
        f"project_name_override: {name}\npackage_name_override: {name}\npost_hooks: []\n",
        encoding="utf-8",
    )
    run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(doc),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(doc.parent / name),
        ],
        doc.parent,
    )
    return doc.parent


def test_datamodel_code_generator_on_seed_document(tmp_path: Path) -> None:
    doc = write_document(load_seeds(), tmp_path)
    datamodel_codegen(doc, tmp_path / "seed_models")
    out = import_all_then(
        tmp_path,
        "seed_models",
        f"""
        from seed_models.microsoft.graph import SynchronizationJob
        job = SynchronizationJob.model_validate({SEED_JOB!r})
        assert job.templateId == "String", job
        print("loaded", type(job).__name__)
        """,
    )
    assert "loaded SynchronizationJob" in out


def test_datamodel_code_generator_on_rich_document(tmp_path: Path) -> None:
    doc = write_document(rich_api(), tmp_path)
    datamodel_codegen(doc, tmp_path / "rich_models")
    out = import_all_then(
        tmp_path,
        "rich_models",
        """
        from rich_models.microsoft.graph import User, UserCollectionResponse
        page = UserCollectionResponse.model_validate(
            {"value": [{"id": "1", "displayName": "Ada", "state": "notDocumentedYet"}],
             "@odata.nextLink": "https://next"})
        assert isinstance(page.value[0], User) and page.value[0].displayName == "Ada"
        print("loaded", len(page.value))
        """,
    )
    assert "loaded 1" in out


def test_openapi_python_client_on_seed_document(tmp_path: Path) -> None:
    doc = write_document(load_seeds(), tmp_path)
    folder = openapi_python_client(doc, "seed_client")
    expected = json.dumps(SEED_JOB)
    out = import_all_then(
        folder,
        "seed_client",
        f"""
        import json
        from seed_client.api.service_principals import (
            create_service_principal_synchronization_job as endpoint,
        )
        from seed_client.models import MicrosoftGraphSynchronizationJob
        job = MicrosoftGraphSynchronizationJob.from_dict(json.loads({expected!r}))
        assert job.to_dict()["templateId"] == "String", job.to_dict()
        assert callable(endpoint.sync_detailed)
        print("round trip ok")
        """,
    )
    assert "round trip ok" in out


def test_openapi_python_client_on_rich_document(tmp_path: Path) -> None:
    doc = write_document(rich_api(), tmp_path)
    folder = openapi_python_client(doc, "rich_client")
    out = import_all_then(
        folder,
        "rich_client",
        """
        from rich_client.api.users import get_user, list_users, delete_user
        from rich_client.api.me import get_me
        from rich_client.models import MicrosoftGraphUser
        user = MicrosoftGraphUser.from_dict({"id": "1", "displayName": "Ada", "extraThing": 3})
        assert user.display_name == "Ada" and user.additional_properties == {"extraThing": 3}
        print("ok")
        """,
    )
    assert out.strip().endswith("ok")
