"""What the tests of this repository share: its paths and the example plugin package.

The general helpers (running the CLI, reading records, cleaning a text through the chain)
are the public ones plugin authors use, in :mod:`clean_corpus.testing`.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from clean_corpus.config import Config
from clean_corpus.testing import make_chain

# The public helpers, for tests that still import them from here.
from clean_corpus.testing import (BUILTINS_ONLY, CLI, builtin_cli, cli, cli_env,  # noqa: F401
                                  install_package, read_jsonl, read_jsonl_if_any, removed_by)

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
PLUGIN_PACKAGE = REPO / "tests" / "plugin_package"


@pytest.fixture(scope="session")
def plugin_env(tmp_path_factory) -> dict:
    """Environment in which the example plugin package (tests/plugin_package) is installed,
    for real, by pip (see :func:`clean_corpus.testing.install_package`)."""
    return install_package(PLUGIN_PACKAGE, tmp_path_factory.mktemp("plugin_package"))


@pytest.fixture(scope="session")
def chain():
    """The built-in chain without the learned text classifier, by its short name.

    The rule cleaners' tests look at the rules alone: the classifier, which runs after
    them on text documents, has its own tests (test_boilerplate_*.py).
    """
    return make_chain(config=Config(disable=["text_classifier"]))


def train_twice(tmp_path_factory, module: str, *args: str) -> list[Path]:
    """A training command (``python -m module ... --out FILE``) run twice with the same
    arguments: the two model files it wrote, for the tests that they are the same bytes
    and that the written model behaves as trained."""
    out = tmp_path_factory.mktemp("model")
    paths = []
    for name in ("a.json", "b.json"):
        path = out / name
        done = subprocess.run([sys.executable, "-m", module, *args, "--out", str(path)],
                              capture_output=True, text=True, cwd=REPO)
        assert done.returncode == 0, done.stderr
        paths.append(path)
    return paths


def records_with_modules_hidden(out_dir: Path, sources: list[Path],
                                hidden: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The records the CLI writes for each of ``sources`` (by its name), in a process where
    the ``hidden`` modules cannot be imported, as on a machine that could not build them."""
    command = ["-m", "clean_corpus.cli"]
    if hidden:
        command = ["-c", "import sys; " + "".join(f"sys.modules[{name!r}] = None; "
                                                  for name in hidden)
                   + "from clean_corpus.cli import main; sys.exit(main())"]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for source in sources:
        out = out_dir / f"{source.name}.jsonl"
        subprocess.run([sys.executable, *command, "run", str(source), "-o", str(out),
                        "--no-progress"], check=True, capture_output=True, cwd=REPO)
        written[source.name] = out.read_bytes()
    return written


def assert_used_only_when_right(monkeypatch, choose, module, function: str, *wrong) -> None:
    """``choose()`` (a compiled piece's loader) picks ``module`` as built, and refuses it
    when its ``function`` is replaced by any of the ``wrong`` ones (giving other values)
    or missing, as a build of another version or a broken one would be."""
    assert choose() is module
    for replacement in wrong:
        monkeypatch.setattr(module, function, replacement)
        assert choose() is None
    monkeypatch.delattr(module, function)
    assert choose() is None
    monkeypatch.undo()
    assert choose() is module
