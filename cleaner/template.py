"""``clean-corpus new-plugin NAME``: a working plugin package to start from.

The package has one cleaner that drops lines listed in its own lexicon (a phrase list
shipped as data, found through the ``clean_corpus.lexicons`` entry point), its entry
points, a test that runs the cleaner with :mod:`clean_corpus.testing`, and a README.
"""
from __future__ import annotations

import keyword
import re
from pathlib import Path

from clean_corpus import __version__
from clean_corpus.config import ConfigError

_NAME = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*")


def names(name: str) -> dict[str, str]:
    """The spellings of ``name`` a package needs: plugin, module, class, distribution."""
    if not _NAME.fullmatch(name):
        raise ConfigError(f"plugin name {name!r}: use lower-case letters, digits and - or _ "
                          "(starting with a letter), such as drop-shouting")
    plugin = name.replace("-", "_")
    if keyword.iskeyword(plugin):
        raise ConfigError(f"plugin name {name!r} is a Python keyword")
    return {
        "plugin": plugin,
        "module": f"clean_corpus_{plugin}",
        "cls": "".join(part.capitalize() for part in plugin.split("_")),
        "dist": f"clean-corpus-{plugin.replace('_', '-')}",
        "version": __version__.split("+")[0],
    }


PYPROJECT = '''\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{dist}"
version = "0.1.0"
description = "A clean-corpus plugin: {plugin}."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["clean-corpus>={version}"]

[project.optional-dependencies]
test = ["pytest>=8.0"]

# clean-corpus finds the plugin through this entry point once the package is installed.
[project.entry-points.clean_corpus]
{plugin} = "{module}:{cls}"

# ... and the phrase lists in the lexicons/ folder of the package through this one.
[project.entry-points."clean_corpus.lexicons"]
{plugin} = "{module}.lexicons"

[tool.setuptools]
package-dir = {{ "" = "src" }}
packages = ["{module}", "{module}.lexicons"]

[tool.setuptools.package-data]
"{module}.lexicons" = ["*.toml"]
'''

MODULE = '''\
"""{cls}: a clean-corpus cleaner."""
from clean_corpus import Plugin, hookimpl
from clean_corpus_plugins.lexicon import fold, folded_phrases

__version__ = "0.1.0"


class {cls}(Plugin):
    """Drop lines that are one of the phrases of the ``{plugin}`` lexicon."""

    name = "{plugin}"
    # Every option the plugin understands, with its default (and so its type): users set
    # them in [plugin.{plugin}] of their config file or with --set {plugin}.KEY=VALUE.
    defaults = {{"max_words": 12}}

    @hookimpl
    def clean(self, document):
        # Phrases are data: src/{module}/lexicons/*.toml, one file per language.
        phrases = folded_phrases("{plugin}")
        for block in list(document.blocks):
            if len(block.text.split()) <= self.options["max_words"] and fold(block.text) in phrases:
                document.drop_block(block, self.name, "listed boilerplate line")
'''

LEXICON_INIT = '''\
"""Phrase lists of {plugin}, one TOML file per language (see clean_corpus_plugins.lexicon)."""
'''

LEXICON = '''\
# Lines that are boilerplate wherever they appear alone. Matching ignores case, accents
# and punctuation.
[{plugin}]
phrases = ["Report a typo", "Print this page"]
'''

TEST = '''\
"""Tests of {cls}, run through the real clean-corpus chain."""
from clean_corpus.testing import clean_text, removed_by, run_chain

from {module} import {cls}

PROSE = ("The council voted the budget on Tuesday evening after three hours of debate, "
         "and the majority defended a measured rise in investment.")


def test_listed_lines_are_removed():
    doc = clean_text([PROSE, "Report a typo", PROSE], {cls}(), builtins=False)
    assert removed_by(doc, "{plugin}") == ["Report a typo"]
    assert doc.clean_text == PROSE + "\\n\\n" + PROSE


def test_a_sentence_that_contains_a_phrase_stays():
    sentence = "Readers who spot an error can report a typo to the newsroom by e-mail."
    doc = clean_text([PROSE, sentence], {cls}(), builtins=False)
    assert removed_by(doc, "{plugin}") == []


def test_max_words_option():
    doc = clean_text([PROSE, "Report a typo"], {cls}(), builtins=False,
                     options={{"{plugin}": {{"max_words": 2}}}})
    assert removed_by(doc, "{plugin}") == []


def test_in_the_whole_chain_the_record_is_written():
    [outcome] = run_chain([PROSE + "\\nPrint this page"], {cls}())
    assert outcome.status == "written"
    assert outcome.document.to_record()["removed"][-1]["plugin"] == "{plugin}"
'''

README = '''\
# {dist}

A clean-corpus plugin. `{plugin}` drops lines
that are one of the phrases of its lexicon (`src/{module}/lexicons/*.toml`).

```bash
pip install -e '.[test]'      # clean-corpus finds it through its entry point
clean-corpus plugins          # lists {plugin}, its options and where it runs
pytest                        # its tests, with clean_corpus.testing
```

Options (`[plugin.{plugin}]` in a config file, or `--set {plugin}.KEY=VALUE`):

| option | default | what |
| --- | --- | --- |
| `max_words` | 12 | longest line (in words) that is checked against the phrases |

Place it in the chain with `[plugin.{plugin}] before = [...]` / `after = [...]`;
turn it off with `--disable {plugin}`.
'''

FILES = {
    "pyproject.toml": PYPROJECT,
    "README.md": README,
    "src/{module}/__init__.py": MODULE,
    "src/{module}/lexicons/__init__.py": LEXICON_INIT,
    "src/{module}/lexicons/en.toml": LEXICON,
    "tests/test_{plugin}.py": TEST,
}


def write_package(name: str, parent: Path) -> Path:
    """Write the package for plugin ``name`` into ``parent/<distribution name>``."""
    values = names(name)
    root = Path(parent) / values["dist"]
    if root.exists():
        raise ConfigError(f"{root} exists already; choose another name or folder")
    for relative, template in FILES.items():
        path = root / relative.format(**values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.format(**values), encoding="utf-8")
    return root
