"""Run configuration: a TOML file, overridden by command-line options.

Example ``clean-corpus.toml``::

    [run]
    workers = 2
    max_bytes = 10_485_760         # 10 MiB, what the bundled spider downloads at most
    timeout = 10                   # seconds per document; a document over it fails
                                   # (default: 10, and 20 more per million characters)

    [plugins]
    disable = ["quality"]          # plugin names, see `clean-corpus plugins`
    order = ["my_cleaner"]         # these run first in the chain, in this order
    dirs = ["local_plugins"]       # folders of plugin files (relative to this file)

    [plugin.language]              # options of one plugin
    max_chars = 3000               # the sample language detection reads

    [plugin.my_cleaner]            # where one plugin runs, relative to others
    after = ["breadcrumbs"]
    before = ["byline"]
"""
from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """The configuration file or an option is wrong; the message says how."""


#: The default time limit per document: this many seconds, and ``TIMEOUT_PER_MILLION_CHARS``
#: more per million characters of the document. A page scraped onto one line costs the
#: chain 4 to 5 s of processor time per million characters up to 8 million, and 10 to 11 s
#: at 10 MiB (``max_bytes``): a flat 10 s failed every such text over about 2 million
#: characters, well inside the size limit. This limit is about twice the time measured at
#: every size up to ``max_bytes`` (220 s there; docs/robustness.md).
DEFAULT_TIMEOUT = 10.0
TIMEOUT_PER_MILLION_CHARS = 20.0

#: Keys of a ``[plugin.NAME]`` table that place the plugin in the chain (not options).
PLACEMENT_KEYS = ("before", "after")


@dataclass
class Config:
    workers: int = 1
    #: Decompressed bytes a document may hold (a crawled page: its text as UTF-8). 10 MiB:
    #: the bundled spider's ``DOWNLOAD_MAXSIZE``, so that what a crawl downloads is cleaned,
    #: not refused; real pages with megabytes of inline script pass 5 MB (2 of wcxb-dev's 1,310).
    max_bytes: int = 10 * 1024 * 1024
    #: Seconds one document may take in the per-document chain (processor time where the
    #: system reports it, with three times as much wall-clock time as a backstop), as
    #: ``--timeout`` or ``[run] timeout`` set it; None for the default limit, which grows
    #: with the document (see :meth:`time_limit`).
    timeout: float | None = None
    disable: list[str] = field(default_factory=list)
    enable: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    load_entry_points: bool = True
    #: Folders of local plugin files (``--plugins-dir``), loaded after the built-ins.
    plugins_dirs: list[str] = field(default_factory=list)
    #: Plugin objects (or classes) registered directly, without an entry point.
    plugins: list = field(default_factory=list)

    def time_limit(self, characters: int) -> float:
        """The limit for a document of ``characters`` (its HTML or text): ``timeout`` when
        set, else :data:`DEFAULT_TIMEOUT` seconds and :data:`TIMEOUT_PER_MILLION_CHARS`
        more per million characters."""
        if self.timeout is not None:
            return self.timeout
        return DEFAULT_TIMEOUT + TIMEOUT_PER_MILLION_CHARS * characters / 1_000_000

    def plugin_options(self, name: str) -> dict[str, Any]:
        return {k: v for k, v in self.options.get(name, {}).items() if k not in PLACEMENT_KEYS}

    def placement(self, name: str) -> dict[str, list[str]]:
        """``{"before": [...], "after": [...]}``: the plugins ``name`` must run before/after."""
        table = self.options.get(name, {})
        placed = {}
        for key in PLACEMENT_KEYS:
            value = table.get(key, [])
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{name}.{key} must be a plugin name or a list of names, "
                                  f"got {value!r}")
            placed[key] = list(value)
        return placed

    def with_plugins(self, plugins) -> "Config":
        """A copy that also registers the plugin objects ``plugins``."""
        return replace(self, plugins=[*self.plugins, *plugins])

    def is_disabled(self, name: str, enabled_by_default: bool = True) -> bool:
        if name in self.enable:
            return False
        return name in self.disable or not enabled_by_default

    @classmethod
    def load(cls, path: str | Path | None) -> "Config":
        config = cls()
        if path is None:
            return config
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"config file {path} is not UTF-8 text (as TOML must be): "
                              f"{exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        unknown = set(data) - {"run", "plugins", "plugin"}
        if unknown:
            raise ConfigError(f"config file {path}: unknown table(s) {sorted(unknown)}; "
                              "expected [run], [plugins], [plugin.NAME]")
        for table in ("run", "plugins", "plugin"):
            if not isinstance(data.get(table, {}), dict):
                kind = " of [plugin.NAME] tables" if table == "plugin" else ""
                raise ConfigError(f"config file {path}: [{table}] must be a table{kind}, "
                                  f"got {data[table]!r}")
        # A misspelt key would otherwise be ignored without a word (a `disabled = [...]`
        # that disables nothing).
        for table, known in (("run", {"workers", "max_bytes", "timeout"}),
                             ("plugins", {"disable", "enable", "order", "dirs"})):
            extra = set(data.get(table, {})) - known
            if extra:
                raise ConfigError(f"config file {path}: unknown key(s) {sorted(extra)} in "
                                  f"[{table}]; expected {sorted(known)}")
        run = data.get("run", {})
        for key in ("workers", "max_bytes"):
            value = run.get(key, getattr(config, key))
            # bool is an int to Python; `workers = true` is a mistake, not 1 worker.
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"config file {path}: [run] {key} must be a whole number "
                                  f"of at least 1, got {value!r}")
            if value > sys.maxsize:  # no file or count of processes is larger
                raise ConfigError(f"config file {path}: [run] {key} must be at most "
                                  f"{sys.maxsize}, got {value!r}")
            setattr(config, key, value)
        if "timeout" in run:  # else the default limit, which grows with the document
            timeout = run["timeout"]
            if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) \
                    or not timeout > 0:
                raise ConfigError(f"config file {path}: [run] timeout must be a number of "
                                  f"seconds above 0, got {timeout!r}")
            config.timeout = float(timeout)
        plugins = data.get("plugins", {})
        for key in ("disable", "enable", "order"):
            value = plugins.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"config file {path}: [plugins] {key} must be a list of names")
            setattr(config, key, list(value))
        dirs = plugins.get("dirs", [])
        if not isinstance(dirs, list) or not all(isinstance(v, str) for v in dirs):
            raise ConfigError(f"config file {path}: [plugins] dirs must be a list of folders")
        config.plugins_dirs = [str(Path(path).parent / d) for d in dirs]
        for name, table in data.get("plugin", {}).items():
            if not isinstance(table, dict):
                raise ConfigError(f"config file {path}: [plugin.{name}] must be a table")
            config.options[name] = dict(table)
        return config

    def set_option(self, assignment: str) -> None:
        """Apply ``NAME.KEY=VALUE`` from the command line; VALUE is parsed as TOML if it can be."""
        target, sep, raw = assignment.partition("=")
        name, dot, key = target.partition(".")
        if not (sep and dot and name and key):
            raise ConfigError(f"--set expects PLUGIN.KEY=VALUE, got {assignment!r}")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw
        self.options.setdefault(name, {})[key] = value
