"""Shared test helpers: the repository root, the CLI run as a subprocess, the example plugin package."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clean_corpus import Document
from clean_corpus.config import Config
from clean_corpus.pipeline import Chain

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
#: The console script installed next to the interpreter running the tests.
CLI = Path(sys.executable).with_name("clean-corpus")
PLUGIN_PACKAGE = REPO / "tests" / "plugin_package"
AUTOLOAD_ENV = "CLEAN_CORPUS_DISABLE_PLUGIN_AUTOLOAD"
#: ``env=`` for :func:`cli` runs that must see the built-in plugins only.
BUILTINS_ONLY = {AUTOLOAD_ENV: "1"}


def cli_env(extra: dict | None = None) -> dict:
    """This environment without settings that change which plugins load, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in (AUTOLOAD_ENV, "PYTHONPATH")}
    env.update(extra or {})
    return env


def cli(*args, env: dict | None = None, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``clean-corpus ARGS`` as the user would; ``env`` entries are added to the environment."""
    return subprocess.run([str(CLI), *map(str, args)], env=cli_env(env), cwd=cwd,
                          timeout=timeout, capture_output=True, text=True)


def builtin_cli(*args, **kwargs) -> subprocess.CompletedProcess:
    """``clean-corpus ARGS`` with the built-in plugins only (no package plugin can change the
    result), asserting that it succeeded."""
    done = cli(*args, env={**BUILTINS_ONLY, **kwargs.pop("env", {})}, **kwargs)
    assert done.returncode == 0, done.stderr
    return done


def read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_jsonl_if_any(path) -> list[dict]:
    """The entries of a file that a run writes only when it has something to say."""
    return read_jsonl(path) if os.path.exists(path) else []


@pytest.fixture(scope="session")
def plugin_env(tmp_path_factory) -> dict:
    """Environment in which the example plugin package (tests/plugin_package) is installed.

    pip builds and installs it for real (wheel, dist-info, entry points), offline, into a
    directory of its own that the CLI finds on ``PYTHONPATH``: other people share this
    virtualenv, and installing into it would put these plugins into their runs too.
    """
    work = tmp_path_factory.mktemp("plugin_package")
    source = work / "src"
    # pip builds a local project in place; a copy keeps build/ out of the repository.
    shutil.copytree(PLUGIN_PACKAGE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = work / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                          "--no-build-isolation", "--no-index", "--target", str(target),
                          str(source)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, f"pip could not install the plugin package:\n{pip.stderr}"
    return {"PYTHONPATH": str(target)}


@pytest.fixture(scope="session")
def chain() -> Chain:
    """The chain of built-in plugins only: an installed package must not change results."""
    return Chain(Config(load_entry_points=False))


def clean(chain: Chain, *lines: str) -> Document:
    """Run plain-text lines (one block each) through the per-document chain."""
    outcome = chain.prepare(Document(source="article.txt", text="\n".join(lines)))
    assert outcome.status == "written", outcome.error
    return outcome.document


def removed_by(doc: Document, plugin: str) -> list[str]:
    """What ``plugin`` removed from ``doc``, in order."""
    return [r.text for r in doc.removed if r.plugin == plugin]
