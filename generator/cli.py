"""Command line: `doc2code ir | lint | generate | check | openapi | serve`.

Exit codes: 0 success, 1 findings at or above `--fail-on` (or drift for `check`),
2 usage or configuration errors. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from generator.config import ConfigError


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", help="pages or folders (default: the configured specs)")


def _add_includes(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--includes",
        action="append",
        metavar="FOLDER",
        help="folder [!INCLUDE] may read, relative to the working directory; repeat for several "
        "(replaces [tool.doc2code] includes)",
    )


def _add_generation_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--specs", help="folder of markdown pages [tool.doc2code] specs")
    p.add_argument("--out", help="output folder [tool.doc2code] out")
    p.add_argument("--package", help="generated package name [tool.doc2code] package")
    p.add_argument("--templates", help="folder of templates overriding the built-ins by name")
    p.add_argument("--formatter", choices=["black", "ruff"], help="code formatter")
    p.add_argument("--jobs", type=int, help="worker processes (0 = one per core)")
    _add_includes(p)
    p.add_argument("--fail-on", choices=["error", "warning"], dest="fail_on")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print every diagnostic")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="doc2code",
        description="Markdown API reference pages (Microsoft Graph dialect) to typed Python code.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ir", help="write the intermediate model as JSON")
    _add_paths(p)
    _add_includes(p)
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--jobs", type=int)

    p = sub.add_parser("lint", help="print diagnostics for the pages")
    _add_paths(p)
    _add_includes(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--fail-on", choices=["error", "warning"], dest="fail_on", default="error")
    p.add_argument("--jobs", type=int)
    p.add_argument("--list-codes", action="store_true", help="print the diagnostic codes")

    p = sub.add_parser("generate", help="regenerate the output folder from the pages")
    _add_generation_flags(p)

    p = sub.add_parser("check", help="fail (exit 1) when the output folder is stale")
    _add_generation_flags(p)
    p.add_argument("--diff", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument(
        "--no-cache",
        action="store_true",
        dest="no_cache",
        help="neither read nor write the user cache: decide from the inputs alone (for CI)",
    )

    p = sub.add_parser("openapi", help="write an OpenAPI 3.1 document")
    _add_paths(p)
    _add_includes(p)
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--format", choices=["json", "yaml"], default="json")
    p.add_argument("--jobs", type=int)

    p = sub.add_parser("serve", help="run the generated server stub as a mock server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--out", help="output folder holding the generated package")
    p.add_argument("--package", help="generated package name")
    return parser


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """Import lazily so `doc2code lint` does not pay for jinja2, black or FastAPI."""
    from generator import commands

    return getattr(commands, f"cmd_{name}")  # type: ignore[no-any-return]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return _command(args.command)(args)
    except ConfigError as exc:
        print(f"doc2code: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("doc2code: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
