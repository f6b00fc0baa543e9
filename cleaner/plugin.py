"""Base class for plugins written as classes (all built-ins are)."""
from __future__ import annotations

from typing import Any

from clean_corpus import hookimpl


class Plugin:
    """A plugin with a name and options.

    Subclasses set ``name`` and implement any hooks of :mod:`clean_corpus.hookspecs` as
    methods decorated with ``@hookimpl``. Options come from the ``[plugin.NAME]`` table of
    the config file; ``defaults`` lists the options a plugin understands and their values.
    """

    name: str = ""
    defaults: dict[str, Any] = {}
    #: False for alternatives that the user switches on with ``enable`` (config or CLI).
    enabled_by_default: bool = True

    def __init__(self) -> None:
        self.options: dict[str, Any] = dict(self.defaults)

    @hookimpl
    def configure(self, config):
        self.options = {**self.defaults, **config.plugin_options(self.name)}
