"""`[tool.doc2code]` configuration, overridable key by key on the command line.

Lookup order for every key: command-line flag, then `[tool.doc2code]` in the nearest
`pyproject.toml` (searched from the working directory upwards), then the default below.
Relative paths in the file are relative to the file's folder (on the command line, to the
working directory). An `includes` folder that does not exist is a configuration error.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """A usage or configuration error: the CLI prints it and exits 2."""


@dataclass(frozen=True)
class Config:
    specs: Path = Path("specs")
    out: Path = Path("generated")
    package: str = "graph_client"
    templates: Path | None = None  # folder whose files override built-in templates by name
    formatter: str = "black"  # "black" or "ruff"
    fail_on: str | None = None  # "error" | "warning" | None
    jobs: int = 0  # worker processes; 0 = one per core
    includes: tuple[Path, ...] = ()  # further folders `[!INCLUDE]` may read (shared includes)
    root: Path = field(default=Path("."), compare=False)  # folder of the pyproject.toml used

    def describe(self) -> dict[str, str]:
        """The keys that affect generated output, as text (hashed by the cache, shown by check)."""
        return {
            "package": self.package,
            "formatter": self.formatter,
            "templates": "" if self.templates is None else str(self.templates),
            **({"includes": ",".join(sorted(p.as_posix() for p in self.includes))} if self.includes else {}),
        }


_PATH_KEYS = {"specs", "out", "templates"}
_CHOICES = {"formatter": ("black", "ruff"), "fail_on": ("error", "warning")}


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load(overrides: dict[str, Any] | None = None, start: Path | None = None) -> Config:
    """Merge defaults, `[tool.doc2code]` and non-None `overrides` into a validated Config."""
    cfg = Config()
    pyproject = find_pyproject((start or Path.cwd()).resolve())
    if pyproject is not None:
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{pyproject}: cannot read: {exc}") from exc
        section = data.get("tool", {}).get("doc2code", {})
        if not isinstance(section, dict):
            raise ConfigError(f"{pyproject}: [tool.doc2code] must be a table")
        cfg = _apply(cfg, section, base=pyproject.parent, origin=str(pyproject))
        cfg = replace(cfg, root=pyproject.parent)
    if overrides:
        given = {k: v for k, v in overrides.items() if v is not None}
        cfg = _apply(cfg, given, base=Path.cwd(), origin="command line")
    return cfg


def _apply(cfg: Config, values: dict[str, Any], base: Path, origin: str) -> Config:
    known = {f.name for f in fields(Config)} - {"root"}
    changes: dict[str, Any] = {}
    for raw_key, value in values.items():
        key = raw_key.replace("-", "_")
        if key not in known:
            raise ConfigError(f"{origin}: unknown doc2code key {raw_key!r}")
        if key in _PATH_KEYS:
            if not isinstance(value, (str, Path)):
                raise ConfigError(f"{origin}: {raw_key} must be a path")
            path = Path(value)
            changes[key] = path if path.is_absolute() else _relative(base, path)
        elif key == "includes":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, (str, Path)) for v in value):
                raise ConfigError(f"{origin}: includes must be a list of folder paths")
            folders = tuple(Path(v) if Path(v).is_absolute() else _relative(base, Path(v)) for v in value)
            # `folders` are absolute or relative to the working directory (`_relative`)
            missing = [str(v) for v, folder in zip(value, folders, strict=True) if not folder.is_dir()]
            if missing:
                where = "the working directory" if origin == "command line" else f"the folder of {origin}"
                raise ConfigError(f"{origin}: includes folder {', '.join(repr(m) for m in missing)} does not exist (includes paths are relative to {where})")
            changes[key] = folders
        elif key == "jobs":
            if not isinstance(value, int) or value < 0:
                raise ConfigError(f"{origin}: jobs must be a whole number >= 0")
            changes[key] = value
        else:
            if not isinstance(value, str):
                raise ConfigError(f"{origin}: {raw_key} must be a string")
            if key in _CHOICES and value not in _CHOICES[key]:
                allowed = ", ".join(_CHOICES[key])
                raise ConfigError(f"{origin}: {raw_key} must be one of {allowed}, not {value!r}")
            if key == "package" and not value.isidentifier():
                raise ConfigError(f"{origin}: package must be a Python identifier, not {value!r}")
            changes[key] = value
    return replace(cfg, **changes)


def _relative(base: Path, path: Path) -> Path:
    """Keep paths relative to the working directory when possible (no absolute paths leak)."""
    joined = (base / path).resolve()
    try:
        return joined.relative_to(Path.cwd().resolve())
    except ValueError:
        return joined
