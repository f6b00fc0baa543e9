"""clean-corpus: turn raw web pages and scraped text into clean article records.

Third-party plugins import what they need from here::

    from clean_corpus import hookimpl, Plugin, Document

and other pipelines clean one document at a time with ``clean_corpus.clean(html=...)``.
"""
from importlib.metadata import PackageNotFoundError, version

import pluggy

try:
    __version__ = version("clean-corpus")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

PROJECT_NAME = "clean_corpus"
#: Entry-point group third-party packages register their plugins under.
ENTRY_POINT_GROUP = "clean_corpus"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

from clean_corpus.document import Block, Document, Removal  # noqa: E402
from clean_corpus.plugin import Plugin  # noqa: E402

__all__ = ["Block", "Document", "Plugin", "Removal", "clean", "hookimpl", "__version__"]


def __getattr__(name: str):
    # clean() loads the whole chain: imported on first use, so that plugins importing
    # this package do not pay for it.
    if name in ("clean", "Cleaner"):
        from clean_corpus import library
        return getattr(library, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
