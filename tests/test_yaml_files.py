"""Every shipped YAML data file reads the same through libyaml's loader (the one
``common.yamlfiles`` uses) as through PyYAML's pure-Python safe loader."""

from __future__ import annotations

from pathlib import Path

import yaml

from ontrack.common.yamlfiles import YAML_LOADER, load_yaml

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "ontrack"


def test_yaml_data_files_read_the_same_with_libyaml() -> None:
    assert yaml.__with_libyaml__  # the PyPI wheel ships it
    assert YAML_LOADER.__name__ == "CSafeLoader"
    files = sorted(p for p in PACKAGE.rglob("*.yaml") if ".venv" not in p.parts)
    # Policies with their tests, catalog overlay, charge patterns, import profiles.
    kinds = {p.relative_to(PACKAGE).parts[0] for p in files}
    assert {"eligibility", "offenses", "imports"} <= kinds
    for path in files:
        raw = path.read_bytes()
        assert load_yaml(raw) == yaml.safe_load(raw), path
