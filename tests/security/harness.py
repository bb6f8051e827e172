"""Run the real pipeline on hostile pages and inspect what it made (issue 6).

`run_generate` writes nothing itself: it calls the CLI (`doc2code generate -v`) on a specs folder
and reads the diagnostics it printed. `import_all` imports every generated module in a fresh
interpreter under an audit hook that records anything besides definitions (processes, writes,
environment changes, network), so "nothing runs on import" is checked, not assumed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.cli import main

PACKAGE = "pkg"
CANARY_ENV = "DOC2CODE_PWNED"
CANARY_FILE = "PWNED"

# Doc text that would do something if it were ever executed or evaluated: close a string and
# open a statement, touch a canary file, set a canary environment variable, or be template code.
# (No `__dunder__` in it: markdown would read that as bold and drop the underscores.)
CODE = f"\"); import os; os.environ.setdefault('{CANARY_ENV}', '1'); open('{CANARY_FILE}', 'w') #"
HOSTILE_TEXTS = [
    CODE,
    f"''' + {CODE} + '''",
    f'""" + {CODE} + """',
    f'\\""" ; {CODE}',
    "\\",
    "\\n\\x00\\N{BULLET}",
    "{{ 7*7 }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{# hidden #}",
    "{{ self.__init__.__globals__ }}",
    "{% raw %}",
    "{% endraw %}",
    "../../../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "a\u2028b\u2029c\x85d\x0ce",
    "\ufeff\u202e",
    "nul\x00byte",
]
_DIAGNOSTIC = re.compile(r": (D\d{3}) (error|warning|info) ")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    codes: list[str] = field(default_factory=list)

    def lines(self, code: str) -> list[str]:
        return [line for line in self.stdout.splitlines() if f": {code} " in line]


def write_pages(specs: Path, pages: dict[str, str | bytes]) -> None:
    for rel, content in pages.items():
        target = specs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        target.write_bytes(data)


def run_generate(
    specs: Path,
    out: Path,
    formatter: str = "ruff",
    package: str = PACKAGE,
    templates: Path | None = None,
) -> Run:
    """`doc2code generate -v` in-process; the cache is off (it would write beside pyproject)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = os.environ.get("DOC2CODE_CACHE")
    os.environ["DOC2CODE_CACHE"] = "off"
    argv = ["generate", "--specs", str(specs), "--out", str(out), "--package", package]
    if templates is not None:
        argv += ["--templates", str(templates)]
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main([*argv, "--formatter", formatter, "--jobs", "1", "-v"])
    finally:
        if previous is None:
            del os.environ["DOC2CODE_CACHE"]
        else:
            os.environ["DOC2CODE_CACHE"] = previous
    text = stdout.getvalue()
    found = [m.group(1) for line in text.splitlines() if (m := _DIAGNOSTIC.search(line))]
    return Run(code, text, stderr.getvalue(), found)


def tree(root: Path) -> dict[str, str]:
    """Every entry under `root` (relative path -> content hash, `dir` or `link:target`).

    Symlinks are listed, never followed, so a listing never reads outside `root`.
    """
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = f"link:{os.readlink(path)}"
            elif path.is_dir():
                found[rel] = "dir"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def python_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.py"))


def compile_all(out: Path) -> int:
    """Byte-compile every generated module in memory, as py_compile would (SyntaxError names
    the file); returns how many there were."""
    files = python_files(out)
    for file in files:
        compile(file.read_bytes(), str(file), "exec", dont_inherit=True)
    return len(files)


_PROBE = r"""
import importlib, json, os, pkgutil, sys
seen = []
WATCHED = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.kill",
           "os.putenv", "os.unsetenv", "os.remove", "os.rename", "os.rmdir", "os.mkdir",
           "os.chmod", "os.symlink", "os.link", "os.truncate", "shutil.rmtree", "shutil.copyfile",
           "subprocess.Popen", "socket.connect", "socket.bind", "ctypes.dlopen", "webbrowser.open")
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
def hook(event, args):
    if event.startswith(WATCHED):
        seen.append(f"{event} {args!r}"[:200])
    elif event == "open":
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & WRITE):
            seen.append(f"open for writing {args[0]!r}"[:200])
sys.addaudithook(hook)
package = importlib.import_module(sys.argv[1])
names = [sys.argv[1]] + sorted(
    m.name for m in pkgutil.walk_packages(package.__path__, sys.argv[1] + "."))
for name in names:
    importlib.import_module(name)
result = {"modules": names, "side_effects": seen}
"""


def import_all(out: Path, package: str = PACKAGE, extra: str = "", timeout: float = 120) -> dict:
    """Import every module of the generated package in a fresh interpreter; run `extra` after.

    Returns the probe's `result` dict (plus whatever `extra` put in it), with `side_effects`
    listing every audited action other than reading, and `canary` what the hostile payload
    would have left behind had it run.
    """
    script = (
        _PROBE
        + extra
        + f"\nresult['canary'] = [os.environ.get({CANARY_ENV!r}), os.path.exists({CANARY_FILE!r})]"
        + "\nprint('RESULT ' + json.dumps(result, default=repr))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != CANARY_ENV}
    env.update(PYTHONPATH=str(out), PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0")
    proc = subprocess.run(
        [sys.executable, "-c", script, package],
        cwd=out,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    result: dict = json.loads(line[len("RESULT ") :])
    assert result["side_effects"] == [], result["side_effects"]
    assert result["canary"] == [None, False]
    assert not (out / CANARY_FILE).exists()
    return result


class TooSlow(BaseException):
    """Raised by `time_limit`; a BaseException so the pipeline's `except Exception` (which turns
    a page's failure into D901) cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM; the regex engine checks for signals)."""

    def expire(signum: int, frame: object) -> None:
        raise TooSlow(f"took more than {seconds:.0f}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
