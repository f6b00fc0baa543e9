"""The distributions, as a user gets them: the wheel in a fresh virtual environment outside
the repository, and the sdist whose tests run from its unpacked tree.

The wheel goes into a new venv (``python -m venv``, no system site-packages, nothing from
this environment) with ``pip install WHEEL``: pip resolves and installs the dependencies as
it would for a user, from the package indexes this machine's pip is configured with (its
cache makes later runs quick). The installed ``clean-corpus`` then cleans the seeds and
crawls the fixture site on 127.0.0.1 from a folder outside the repository.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from clean_corpus.testing import builtin_cli, cli_env, read_jsonl
from conftest import FIXTURES, REPO
from test_crawl import ARTICLES, FAST, Site, path_of

#: What the repository holds that a distribution must not (or need not) carry.
NOT_SHIPPED = shutil.ignore_patterns(".venv", ".git", "out", "build", "dist", "*.egg-info",
                                     "__pycache__", ".pytest_cache", "*.pyc", "*.so")


def run(*command, timeout=900, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{command}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel, built from a copy of the repository (the build leaves
    build/ and *.egg-info behind), offline, with this environment's setuptools."""
    work = tmp_path_factory.mktemp("dists")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=NOT_SHIPPED)
    out = work / "dist"
    out.mkdir()
    built = {}
    for kind in ("sdist", "wheel"):  # one process each, as build front-ends do
        done = run(sys.executable, "-c", "import sys; from setuptools import build_meta; "
                   f"print(build_meta.build_{kind}(sys.argv[1]))", out, cwd=source)
        built[kind] = out / done.stdout.split()[-1]
    return built


def test_wheel_carries_license_notice_and_entry_points(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = wheel.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(f"{info}/METADATA").decode()
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        notice = wheel.read(f"{info}/licenses/NOTICE").decode()
    assert f"{info}/licenses/LICENSE" in names
    assert "Web Content eXtraction Benchmark (WCXB), Murrough Foley, 2026" in notice
    assert "CC-BY-4.0" in notice and "trafilatura" in notice
    assert "License-Expression: Apache-2.0" in metadata
    assert "Classifier: Programming Language :: Python :: 3.11" in metadata
    assert "clean-corpus = clean_corpus.cli:main" in entry_points
    assert "[pytest11]" in entry_points
    assert "clean_corpus/__main__.py" in names
    # the classifier's compiled tree walk and DOM walk, built from their C sources (setup.py)
    for walk in ("_trees", "_dom"):
        assert any(n.startswith(f"clean_corpus_plugins/boilerplate/{walk}.")
                   and n.endswith(".so") for n in names), walk
    assert not any(n.startswith(("tests/", "fixtures/")) for n in names)


def test_sdist_tests_run_from_the_unpacked_tree(dists, tmp_path):
    with tarfile.open(dists["sdist"]) as sdist:
        sdist.extractall(tmp_path, filter="data")
    [tree] = tmp_path.iterdir()
    for needed in ("LICENSE", "NOTICE", "README.md", "Makefile", "tests/conftest.py",
                   "tests/plugin_package/pyproject.toml", "fixtures/seeds", "docs/plugins.md"):
        assert (tree / needed).exists(), needed
    # The sdist's own code, installed beside the tree, is what its tests import (the tests
    # chosen run in-process; the CLI tests run the environment's console script).
    site = tmp_path / "site"
    run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--target", site, tree)
    done = run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "tests/test_cleaners_structure.py", "tests/test_cleaners_lexicon.py",
               "tests/test_plugin_kit.py::test_a_plugin_object_runs_alone_or_in_the_built_in_chain",
               cwd=tree, env={**cli_env(), "PYTHONPATH": str(site)})
    assert " passed" in done.stdout and "failed" not in done.stdout
    where = run(sys.executable, "-c", "import clean_corpus; print(clean_corpus.__file__)",
                cwd=tree, env={**cli_env(), "PYTHONPATH": str(site)})
    assert where.stdout.startswith(str(site))


def test_wheel_in_a_fresh_venv_runs_and_crawls_outside_the_repository(dists, tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", dists["wheel"])
    installed = venv / "bin" / "clean-corpus"
    home = tmp_path / "user"  # a folder of the user's, far from the repository
    home.mkdir()
    env = cli_env()

    # The seeds: the same records as this environment's clean-corpus writes.
    out = home / "seeds.jsonl"
    done = run(installed, "run", FIXTURES / "seeds", "-o", out, "--no-progress", cwd=home,
               env={**env, "CLEAN_CORPUS_DISABLE_PLUGIN_AUTOLOAD": "1"})
    records = read_jsonl(out)
    assert len(records) == 5 and "5 written" in done.stderr
    reference = tmp_path / "reference.jsonl"
    builtin_cli("run", FIXTURES / "seeds", "-o", reference, "--no-progress", cwd=home)
    assert out.read_bytes() == reference.read_bytes()
    assert run(python, "-m", "clean_corpus", "--version", cwd=home).stdout.startswith(
        "clean-corpus ")
    assert not run(python, "-c", "import clean_corpus, sys; print(clean_corpus.__file__)",
                   cwd=home).stdout.startswith(str(REPO))

    # A crawl of the fixture site, whose robots.txt disallows /prive/.
    site = Site()
    try:
        crawled, stats = home / "crawl.jsonl", home / "crawl-stats.json"
        done = run(installed, "crawl", site.origin + "/", "-o", crawled, "--stats", stats,
                   *FAST, cwd=home, env=env, timeout=300)
    finally:
        site.close()
    assert {path_of(r["url"]) for r in read_jsonl(crawled)} == ARTICLES
    assert ("/robots.txt", 200) in site.requests
    assert not any(path.startswith("/prive/") for path in site.paths)
    assert all(agent.startswith("clean-corpus/") for agent in site.agents)
    assert json.loads(stats.read_text())["written"] == len(ARTICLES)
    assert "Traceback" not in done.stderr
