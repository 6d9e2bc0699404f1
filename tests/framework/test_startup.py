"""Invalid library data stops ``python -m peerwork`` with one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import read_yaml, structure_file, write_yaml


def run_check(library_dir: Path | None, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PEERWORK_LIBRARY_DIR"}
    env["PEERWORK_DATA_DIR"] = str(tmp_path / "var")  # keep the SQLite file out of the repo
    if library_dir is not None:
        env["PEERWORK_LIBRARY_DIR"] = str(library_dir)
    return subprocess.run([sys.executable, "-m", "peerwork", "check"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_startup_with_shipped_library_passes_checks(tmp_path: Path) -> None:
    result = run_check(None, tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_startup_with_schema_violation_fails_in_one_line(data_dir: Path, tmp_path: Path) -> None:
    path = structure_file(data_dir, "attention_point")
    raw = read_yaml(path)
    del raw["elements"][3]["summary"]["nb"]
    write_yaml(path, raw)

    result = run_check(data_dir, tmp_path)

    assert result.returncode == 2
    assert result.stderr == (
        "peerwork: configuration error: The framework library is invalid: "
        "attention_point.yaml: elements/3/summary: 'nb' is a required property\n")
    assert result.stdout == ""


def test_startup_with_yaml_syntax_error_names_the_file(data_dir: Path, tmp_path: Path) -> None:
    structure_file(data_dir, "stc").write_text("id: stc\norder: [\n", encoding="utf-8")

    result = run_check(data_dir, tmp_path)

    assert result.returncode == 2
    assert result.stderr.startswith(
        "peerwork: configuration error: The framework library is invalid: "
        "stc.yaml: not valid YAML: ")
    assert "Traceback" not in result.stderr
