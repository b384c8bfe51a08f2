"""Reading YAML data files (policies, catalog overlays, charge patterns, import profiles).

One loader for all of them: libyaml's safe loader when PyYAML was built with it (its parser
is several times faster than the pure-Python one, which cost a third of a second per
``ontrack screen`` on the old catalog file), else PyYAML's own safe loader. Both build the
same plain data (a test compares them on every shipped file).
"""

from __future__ import annotations

from typing import Any

import yaml

YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(raw: bytes | str) -> Any:
    """The document in ``raw``; ``yaml.YAMLError`` when it is not valid YAML."""
    return yaml.load(raw, Loader=YAML_LOADER)  # noqa: S506 - a safe loader
