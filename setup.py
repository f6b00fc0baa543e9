"""The one part of the build pyproject.toml cannot declare stably: the compiled tree walk.

The classifier's walk (plugins/boilerplate/_trees.c) is built where a C compiler and
Python's headers are found. It is optional: without them the install goes on, and the
same walk runs in numpy, giving the same bits (see plugins/boilerplate/model.py).
"""
from setuptools import Extension, setup

setup(ext_modules=[Extension("clean_corpus_plugins.boilerplate._trees",
                             ["plugins/boilerplate/_trees.c"], optional=True)])
