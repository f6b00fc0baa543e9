"""Built-in plugins of clean-corpus: readers, writers, the extractor, cleaners, detectors.

Each is an ordinary plugin on the hooks of :mod:`clean_corpus.hookspecs`, listed in
``clean_corpus.plugins.BUILTIN_PLUGINS``.
"""
