"""Helpers for testing clean-corpus plugins, and a pytest plugin with fixtures.

A plugin's tests run it through the real chain, with the plugin object registered
directly (no installed package needed)::

    from clean_corpus.testing import clean_text, removed_by
    from my_cleaners import DropShouting

    def test_shouted_lines_go():
        doc = clean_text("A quiet sentence of prose.\\nBUY NOW, SAVE BIG TODAY", DropShouting(),
                         builtins=False)
        assert removed_by(doc, "drop_shouting") == ["BUY NOW, SAVE BIG TODAY"]
        assert doc.clean_text == "A quiet sentence of prose."

``builtins=False`` runs your plugins alone (plus the trafilatura extractor, so that pages
still become text); ``builtins=True`` (the default) puts them in the whole built-in chain;
a list of names keeps those built-ins only. Package plugins installed in the environment
are left out unless ``entry_points=True``, so that tests do not depend on what else is
installed.

Installed with clean-corpus, the pytest plugin (entry point ``pytest11``) provides the
fixtures ``builtin_chain`` (the built-in plugins only) and ``make_chain`` (this module's
:func:`make_chain`), and the command-line helpers :func:`cli` and :func:`read_jsonl` run
``clean-corpus`` as a user would.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

from clean_corpus.config import Config
from clean_corpus.document import Document
from clean_corpus.pipeline import FAILED, Chain, Outcome, RunContext, run
from clean_corpus.plugins import BLOCK_ENTRY_POINTS_ENV, PluginRegistry

__all__ = ["BUILTINS_ONLY", "CLI", "builtin_cli", "clean_page", "clean_text", "cli", "cli_env",
           "install_package", "make_chain", "page", "read_jsonl", "read_jsonl_if_any",
           "removed_by", "run_chain", "text"]

#: Built-ins kept with ``builtins=False``: without an extractor a page has no text.
ALWAYS_KEPT = ("trafilatura",)
#: ``env=`` for :func:`cli` runs that must see the built-in plugins only.
BUILTINS_ONLY = {BLOCK_ENTRY_POINTS_ENV: "1"}
#: The console script installed next to the running Python.
CLI = Path(sys.executable).with_name("clean-corpus")


# ----------------------------------------------------------------------- in-process
def make_chain(*plugins, builtins: bool | Iterable[str] = True,
               options: dict[str, dict[str, Any]] | None = None, config: Config | None = None,
               entry_points: bool = False) -> Chain:
    """A chain with ``plugins`` (objects or classes) registered directly.

    ``options`` are plugin options by plugin name (``{"quality": {"min_words": 10}}``), as
    the ``[plugin.NAME]`` tables of a config file; ``config`` starts from a
    :class:`~clean_corpus.config.Config` of your own.
    """
    base = config or Config()
    merged = {name: dict(values) for name, values in base.options.items()}
    for name, values in (options or {}).items():
        merged[name] = {**merged.get(name, {}), **values}
    config = replace(base, load_entry_points=entry_points, options=merged).with_plugins(plugins)
    if builtins is not True:
        keep = set(ALWAYS_KEPT) | (set() if builtins is False else set(builtins))
        names = [info.name for info in PluginRegistry(Config(load_entry_points=False)).all_infos()]
        unknown = keep - set(names)
        if unknown:
            raise ValueError(f"no built-in plugin named {sorted(unknown)}")
        config.disable = [*config.disable, *(n for n in names if n not in keep)]
    return Chain(config)


def text(content: str, source: str = "article.txt", url: str | None = None) -> Document:
    """A plain-text document, as the text reader makes one."""
    return Document(source=source, text=content, url=url)


def page(html: str, url: str | None = None, source: str | None = None) -> Document:
    """An HTML page, as the HTML reader (or the crawl) makes one."""
    return Document(source=source or url or "page.html", html=html, url=url)


def run_chain(documents: Iterable[Document | str], *plugins, chain: Chain | None = None,
              **chain_options) -> list[Outcome]:
    """Run documents through the whole chain as ``clean-corpus run`` does.

    Per-document hooks, then the corpus-level ones (``observe``, ``corpus_ready``,
    ``hold``, ``revise``, ``judge``, ``settled``) over all of them; one
    :class:`~clean_corpus.pipeline.Outcome` per document, in input order (``status`` is
    ``written``, ``rejected`` or ``failed``).
    Strings are plain-text documents. ``chain_options`` go to :func:`make_chain`.
    """
    chain = chain or make_chain(*plugins, **chain_options)
    docs = [text(d, source=f"doc{i}.txt") if isinstance(d, str) else d
            for i, d in enumerate(documents)]
    outcomes: list[Outcome] = []
    run(chain, docs, outcomes.append, RunContext(chain.config))
    # A run writes held-back documents (``hold``) after the others: give them back in
    # input order, the order a test lists its documents in.
    positions: dict[str, list[int]] = {}
    for position, doc in enumerate(docs):
        positions.setdefault(doc.source, []).append(position)
    placed = [(positions[outcome.source].pop(0), outcome) for outcome in outcomes]
    return [outcome for _, outcome in sorted(placed, key=lambda pair: pair[0])]


def _cleaned(outcome: Outcome) -> Document:
    # A rejected document is still the document the chain made (the verdict is the
    # outcome's, see run_chain); a failed one is a bug in a test's plugin: say so.
    if outcome.status == FAILED:
        raise AssertionError(f"{outcome.source} failed in {outcome.plugin}: {outcome.error}")
    return outcome.document


def clean_text(content: str | list[str] | Document, *plugins, chain: Chain | None = None,
               **chain_options) -> Document:
    """The document a text (one block per line; or a list of lines) becomes, written or
    rejected (:func:`run_chain` gives the verdict); a failure is an :class:`AssertionError`."""
    if isinstance(content, list):
        content = "\n".join(content)
    doc = content if isinstance(content, Document) else text(content)
    return _cleaned(run_chain([doc], *plugins, chain=chain, **chain_options)[0])


def clean_page(html: str, *plugins, url: str | None = None, chain: Chain | None = None,
               **chain_options) -> Document:
    """The document an HTML page becomes (extracted, cleaned, detected), as :func:`clean_text`."""
    return _cleaned(run_chain([page(html, url)], *plugins, chain=chain, **chain_options)[0])


def removed_by(doc: Document | dict, plugin: str) -> list[str]:
    """What ``plugin`` removed from a document (or a record), in order."""
    removed = doc["removed"] if isinstance(doc, dict) else [r.as_dict() for r in doc.removed]
    return [r["text"] for r in removed if r["plugin"] == plugin]


# ------------------------------------------------------------------ the command line
def cli_env(extra: dict | None = None) -> dict:
    """This environment without settings that change which plugins load, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in (BLOCK_ENTRY_POINTS_ENV, "PYTHONPATH")}
    env.update(extra or {})
    return env


def cli(*args, env: dict | None = None, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``clean-corpus ARGS`` as the user would (the console script next to this
    Python); ``env`` entries are added to the environment. Nothing is asserted."""
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


def install_package(source: Path, work: Path) -> dict:
    """Install the plugin package at ``source`` for real (pip: wheel, dist-info, entry
    points), offline, into ``work/site``; returns the ``env=`` under which :func:`cli`
    sees it.

    It goes to a directory of its own rather than into this environment, so that other
    runs sharing the environment do not get its plugins. Building uses the setuptools of
    this environment (``--no-build-isolation``): nothing is downloaded.
    """
    copy = work / "src"
    # pip builds a local project in place; a copy keeps build/ out of the source tree.
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = work / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                          "--no-build-isolation", "--no-index", "--target", str(target),
                          str(copy)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, f"pip could not install {source}:\n{pip.stderr}"
    return {"PYTHONPATH": str(target)}


# ------------------------------------------------------------------ pytest fixtures
try:
    import pytest
except ImportError:  # the functions above work without pytest
    pytest = None

if pytest is not None:
    @pytest.fixture(scope="session")
    def builtin_chain() -> Chain:
        """The chain of built-in plugins only: an installed package must not change results."""
        return make_chain()

    @pytest.fixture(name="make_chain")
    def make_chain_fixture():
        """:func:`make_chain`, as a fixture."""
        return make_chain
