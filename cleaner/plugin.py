"""Base class for plugins written as classes (all built-ins are)."""
from __future__ import annotations

from typing import Any

from clean_corpus import hookimpl
from clean_corpus.config import ConfigError


class Plugin:
    """A plugin with a name and options.

    Subclasses set ``name`` and implement any hooks of :mod:`clean_corpus.hookspecs` as
    methods decorated with ``@hookimpl``. Options come from the ``[plugin.NAME]`` table of
    the config file (or ``--set NAME.KEY=VALUE``); ``defaults`` lists every option a plugin
    understands, with its default value, and any other key is a usage error.
    """

    name: str = ""
    defaults: dict[str, Any] = {}
    #: False for alternatives that the user switches on with ``enable`` (config or CLI).
    enabled_by_default: bool = True

    def __init__(self) -> None:
        self.options: dict[str, Any] = dict(self.defaults)

    @hookimpl
    def configure(self, config):
        given = config.plugin_options(self.name)
        # A misspelt option silently ignored is a wrong corpus nobody notices: refuse it.
        unknown = sorted(set(given) - set(self.defaults))
        if unknown:
            known = ", ".join(sorted(self.defaults)) or "none"
            raise ConfigError(f"plugin {self.name!r} has no option {', '.join(unknown)}; "
                              f"its options: {known}")
        self.options = {**self.defaults, **given}
