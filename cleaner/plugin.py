"""Base class for plugins written as classes (all built-ins are)."""
from __future__ import annotations

from typing import Any

from clean_corpus import hookimpl
from clean_corpus.config import ConfigError

#: What a value must be for an option whose default has this type, and how to say so.
#: An integer is a fine float; ``True`` is an int to Python but never a number here.
_EXPECTED = {bool: ((bool,), "true or false"), int: ((int,), "a whole number"),
             float: ((int, float), "a number"), str: ((str,), "a string"),
             list: ((list,), "a list"), dict: ((dict,), "a table")}


def check_option_type(plugin: str, key: str, value: Any, default: Any,
                      switchable: bool = False) -> None:
    """Refuse ``value`` for ``plugin.key`` unless it has the type of ``default``.

    A default of ``None`` says nothing about the type: such options are not checked.
    ``switchable`` options also take ``false``, which switches them off.
    """
    if default is None or (switchable and value is False):
        return
    accepted, wording = _EXPECTED.get(type(default), ((type(default),), type(default).__name__))
    if isinstance(value, bool) and bool not in accepted:
        ok = False
    else:
        ok = isinstance(value, accepted)
    if not ok:
        raise ConfigError(f"option {plugin}.{key} expects {wording} (default {default!r}), "
                          f"got {value!r}")


class Plugin:
    """A plugin with a name and options.

    Subclasses set ``name`` and implement any hooks of :mod:`clean_corpus.hookspecs` as
    methods decorated with ``@hookimpl``. Options come from the ``[plugin.NAME]`` table of
    the config file (or ``--set NAME.KEY=VALUE``); ``defaults`` lists every option a plugin
    understands, with its default value, and any other key is a usage error, as is a value
    of another type than the default's (an integer is accepted for a float).
    """

    name: str = ""
    defaults: dict[str, Any] = {}
    #: False for alternatives that the user switches on with ``enable`` (config or CLI).
    enabled_by_default: bool = True
    #: Options that may also be set to ``false`` to switch them off (a threshold).
    switchable: frozenset[str] = frozenset()
    #: The least value of numeric options that have one (a run of 0 blocks has no meaning).
    minimums: dict[str, float] = {}

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
        # A wrongly typed value would fail every document one by one: refuse it at start.
        for key, value in given.items():
            check_option_type(self.name, key, value, self.defaults[key], key in self.switchable)
            least = self.minimums.get(key)
            if least is not None and value is not False and value < least:
                raise ConfigError(f"option {self.name}.{key} must be at least {least}, "
                                  f"got {value!r}")
        self.options = {**self.defaults, **given}
