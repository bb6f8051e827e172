"""`doc2code serve`: run the generated server stub as a mock server under uvicorn.

The stub's default handlers answer every documented operation with its documented example,
validate request bodies, and answer undocumented routes with a Graph-style 404; this module
only finds the generated package, builds the app and runs it, with uvicorn's access log.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

from generator.config import Config, ConfigError


def load_app(cfg: Config) -> Any:
    """Import `<cfg.package>.server` from `cfg.out` and call its `create_app()`."""
    package_dir = cfg.out / cfg.package
    if not (package_dir / "server.py").is_file():
        raise ConfigError(
            f"no generated server in {package_dir.as_posix()}/ (run `doc2code generate` first)"
        )
    out = str(cfg.out.resolve())
    if out not in sys.path:
        sys.path.insert(0, out)
    try:
        server = importlib.import_module(f"{cfg.package}.server")
    except ImportError as exc:
        raise ConfigError(
            f"cannot import {cfg.package}.server from {cfg.out.as_posix()}: {exc} "
            "(install the runtime dependencies: pip install 'doc2code[runtime]')"
        ) from exc
    except Exception as exc:  # a broken or hand-edited output tree: say so, no traceback
        raise ConfigError(
            f"{cfg.package}.server in {cfg.out.as_posix()} does not load "
            f"({type(exc).__name__}: {exc}); run `doc2code generate` again"
        ) from exc
    return server.create_app()


def serve(cfg: Config, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Run the mock server until interrupted; 0 on a clean stop, 1 when uvicorn fails."""
    try:
        import uvicorn
    except ImportError as exc:
        raise ConfigError("doc2code serve needs uvicorn: pip install uvicorn") from exc
    app = load_app(cfg)
    print(f"doc2code: serving {cfg.package} on http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info", access_log=True)
    except SystemExit as exc:  # uvicorn exits (1 or 3) when it cannot start, e.g. port in use
        if exc.code:
            print(f"doc2code: the server on {host}:{port} could not start", file=sys.stderr)
            return 1
    return 0
