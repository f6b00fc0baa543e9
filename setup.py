"""The one part of the build pyproject.toml cannot declare stably: the compiled walks.

The classifier's tree walk (plugins/boilerplate/_trees.c) and its DOM walk
(plugins/boilerplate/_dom.c) are built where a C compiler and Python's headers are found;
the DOM walk also needs lxml's headers (lxml installs them; ``lxml.get_include()``). Both
are optional: without them the install goes on, and the same walks run in Python and numpy,
giving the same results (see plugins/boilerplate/model.py and html.py).
"""
from setuptools import Extension, setup


def lxml_headers() -> list[str] | None:
    """Where lxml's C headers are (its element struct, the libxml2 it was built with), or
    None without lxml or its headers."""
    try:
        import lxml
    except ImportError:
        return None
    from pathlib import Path

    dirs = lxml.get_include()
    found = any((Path(d) / "lxml.etree.h").exists() for d in dirs) and \
        any((Path(d) / "libxml" / "tree.h").exists() for d in dirs)
    return dirs if found else None


#: The header both modules include (the logarithms of their columns' counts).
SHARED = ["plugins/boilerplate/_log_of.h"]
extensions = [Extension("clean_corpus_plugins.boilerplate._trees",
                        ["plugins/boilerplate/_trees.c"], depends=SHARED, optional=True)]
headers = lxml_headers()
if headers is not None:
    extensions.append(Extension("clean_corpus_plugins.boilerplate._dom",
                                ["plugins/boilerplate/_dom.c"], include_dirs=headers,
                                depends=SHARED, optional=True))
setup(ext_modules=extensions)
