"""The plugin manager: built-in plugins, entry-point plugins, enabling and ordering."""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import multiprocessing
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pluggy

from clean_corpus import ENTRY_POINT_GROUP, PROJECT_NAME, __version__, hookspecs
from clean_corpus.config import Config, ConfigError

#: Set to 1 to load no third-party plugin from entry points (built-ins still load).
BLOCK_ENTRY_POINTS_ENV = "CLEAN_CORPUS_DISABLE_PLUGIN_AUTOLOAD"
#: Set to 1 to print every hook call, its arguments and results on stderr (pluggy tracing).
TRACE_ENV = "CLEAN_CORPUS_TRACE"
#: Longest line of a hook trace: a document's repr holds its whole page.
TRACE_LINE_CHARS = 1000
#: Where a docstring's first sentence ends: a full stop (or ! ?) before a capital letter.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")

#: Built-in plugins, in chain order: readers and writers, extraction, cleaners (each
#: before the ones that rely on its work), then detectors.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "clean_corpus_plugins.readers:TextReader",
    "clean_corpus_plugins.readers:HtmlReader",
    "clean_corpus_plugins.readers:MarkdownReader",
    "clean_corpus_plugins.readers:JsonlReader",
    "clean_corpus_plugins.warc:WarcReader",
    "clean_corpus_plugins.parquet:ParquetReader",
    "clean_corpus_plugins.writers:JsonlWriter",
    "clean_corpus_plugins.parquet:ParquetWriter",
    # admission: inputs too large or empty (screen), documents left with no text (judge)
    "clean_corpus_plugins.limits:SizeLimit",
    "clean_corpus_plugins.limits:MarkupLimit",
    "clean_corpus_plugins.limits:EmptyText",
    # extraction: Markdown read as its text first; the learned block classifier;
    # trafilatura (trylast) when it passes
    "clean_corpus_plugins.markdown:MarkdownText",
    "clean_corpus_plugins.boilerplate.html_extract:HtmlExtractor",
    "clean_corpus_plugins.extract:TrafilaturaExtractor",
    # text documents: lines, long ones cut into sentences and menu runs
    "clean_corpus_plugins.boilerplate.text_extract:TextLines",
    "clean_corpus_plugins.boilerplate.text_page_type:TextPageType",
    # structure first: these shapes hide the article's first and last lines
    "clean_corpus_plugins.cleaners.image_names:ImageNames",
    "clean_corpus_plugins.cleaners.error_tail:ErrorTail",
    "clean_corpus_plugins.cleaners.breadcrumbs:Breadcrumbs",
    "clean_corpus_plugins.cleaners.captions:RepeatedCaptions",
    "clean_corpus_plugins.cleaners.credits:Credits",
    # boilerplate told by lexicon, links and list shape (teaser lists after the prompts
    # they may end on; link labels after the teaser headings that share their words)
    "clean_corpus_plugins.cleaners.skip_links:SkipLinks",
    "clean_corpus_plugins.cleaners.ad_labels:AdLabels",
    "clean_corpus_plugins.cleaners.cookie_consent:CookieConsent",
    "clean_corpus_plugins.cleaners.subscription_prompts:SubscriptionPrompts",
    "clean_corpus_plugins.cleaners.comment_prompts:CommentPrompts",
    "clean_corpus_plugins.cleaners.teaser_lists:TeaserLists",
    "clean_corpus_plugins.cleaners.inline_teasers:InlineTeasers",
    "clean_corpus_plugins.cleaners.link_lists:LinkLists",
    "clean_corpus_plugins.cleaners.link_labels:LinkLabels",
    "clean_corpus_plugins.cleaners.contact_blocks:ContactBlocks",
    "clean_corpus_plugins.cleaners.legal_notices:LegalNotices",
    # metadata at the edges, once the other cleaners have bared the first and last lines
    "clean_corpus_plugins.cleaners.date_line:DateLine",
    "clean_corpus_plugins.cleaners.section_label:SectionLabel",
    "clean_corpus_plugins.cleaners.kicker:Kicker",
    "clean_corpus_plugins.cleaners.title_repeat:TitleRepeat",
    "clean_corpus_plugins.cleaners.byline:Byline",
    "clean_corpus_plugins.cleaners.title:TitleStandfirst",
    # text documents: what the rules left, rated block by block by the learned classifier
    "clean_corpus_plugins.boilerplate.text_extract:TextClassifier",
    # what is left, read once: a later copy of a block goes
    "clean_corpus_plugins.cleaners.repeated_blocks:RepeatedBlocks",
    # detectors, on the cleaned text (quality reads the language)
    "clean_corpus_plugins.detectors.language:LanguageDetector",
    "clean_corpus_plugins.detectors.language:LangdetectDetector",
    "clean_corpus_plugins.detectors.error_page:ErrorPage",
    "clean_corpus_plugins.detectors.login_wall:LoginWall",
    "clean_corpus_plugins.detectors.listing_page:ListingPage",
    "clean_corpus_plugins.detectors.quality:Quality",
    "clean_corpus_plugins.detectors.duplicates:Duplicates",
    "clean_corpus_plugins.detectors.text_reuse:TextReuse",
    "clean_corpus_plugins.detectors.site_boilerplate:SiteBoilerplate",
    # for the explain report only (disabled unless a report is asked for)
    "clean_corpus_plugins.left_out:ExtractionLeftOut",
)


@dataclass
class PluginInfo:
    """What ``clean-corpus plugins`` shows about one plugin."""

    name: str
    version: str
    source: str  # "builtin", "package:<distribution>", "file:<path>" or "object"
    hooks: list[str]
    obj: object
    error: str | None = None
    #: Option values in force (the defaults, with the configuration's changes).
    options: dict = field(default_factory=dict)

    @property
    def doc(self) -> str:
        """The first sentence of the plugin's own docstring (its class's, or its module's),
        on one line: a summary wrapped over two lines is not cut in the middle."""
        owner = self.obj if inspect.ismodule(self.obj) else type(self.obj)
        text = vars(owner).get("__doc__") if self.obj is not None else None
        paragraph = " ".join((text or "").strip().split("\n\n", 1)[0].split())
        return _SENTENCE_END.split(paragraph, 1)[0]

    @property
    def defaults(self) -> dict:
        return dict(getattr(self.obj, "defaults", None) or {})

    def as_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "source": self.source,
                "doc": self.doc, "hooks": self.hooks, "enabled": self.error is None,
                "error": self.error, "defaults": self.defaults,
                "options": self.options or self.defaults}


def _instantiate(obj):
    return obj() if inspect.isclass(obj) else obj


def _plugin_name(obj, fallback: str) -> str:
    return getattr(obj, "name", None) or fallback


def _load_builtin(spec: str):
    module_name, _, attr = spec.partition(":")
    module = importlib.import_module(module_name)
    return _instantiate(getattr(module, attr) if attr else module)


def load_plugin_file(path: Path) -> list:
    """The plugins a local ``.py`` file defines, for ``--plugins-dir``.

    Every :class:`~clean_corpus.Plugin` subclass defined in the file (with a ``name``) is
    a plugin, in the order of the file; a file with none is a plugin module if it has
    ``@hookimpl`` functions. The module is imported under ``clean_corpus_local.<stem>``
    so that its classes can be pickled for worker processes.
    """
    from clean_corpus.plugin import Plugin

    module_name = f"clean_corpus_local.{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    classes = [obj for obj in vars(module).values()
               if inspect.isclass(obj) and issubclass(obj, Plugin) and obj is not Plugin
               and obj.__module__ == module_name and obj.name]
    return [cls() for cls in classes] or [module]


_SAID: set[str] = set()


def _warn(message: str) -> None:
    """``message`` on stderr, once, from the main process only: each worker builds the
    same registry, and a crawl builds several in the main process (to check the options,
    then for its pipeline), and each would say it again."""
    if multiprocessing.parent_process() is None and message not in _SAID:
        _SAID.add(message)
        print(message, file=sys.stderr)


class InvalidResult(Exception):
    """A plugin returned what its hook cannot take; ``plugin`` is blamed for it."""

    def __init__(self, plugin: str, message: str):
        super().__init__(message)
        self.plugin = plugin


def _checked_extraction(function, plugin: str):
    """``function`` (an ``extract`` implementation), raising :class:`InvalidResult` when it
    returns something else than an extraction: the wrappers that read the result first (the
    classifiers') would otherwise fail on it, and be blamed for it."""
    def extract(*args):
        result = function(*args)
        if result is not None and not all(hasattr(result, a)
                                          for a in ("blocks", "metadata", "removed")):
            raise InvalidResult(plugin, f"extract returned a {type(result).__name__}, not an "
                                        "Extraction (or None)")
        return result
    return extract


def call_each(hook, kwargs: dict, last_first: bool = False) -> list[tuple[str, Exception]]:
    """Call every implementation of ``hook`` in chain order (``last_first``: from the end
    of the chain), each on its own, so that one raising never keeps the others from
    running; return ``(plugin name, error)`` for each that raised. A hook with wrappers is
    called as pluggy calls it (a wrapper cannot be called alone); an error then names the
    plugin pluggy was calling, when known."""
    impls = hook.get_hookimpls()
    if any(impl.hookwrapper or impl.wrapper for impl in impls):
        try:
            hook(**kwargs)
        except Exception as exc:
            return [("unknown", exc)]
        return []
    errors = []
    for impl in (impls if last_first else reversed(impls)):  # pluggy calls the end first
        try:
            impl.function(*(kwargs[arg] for arg in impl.argnames))
        except Exception as exc:
            errors.append((impl.plugin_name, exc))
    return errors


class PluginRegistry:
    """Builds one pluggy PluginManager for a configuration.

    Plugins are collected first, then disabled ones are left out and the rest registered
    in reverse chain order, because pluggy calls implementations of equal priority
    last-registered first. ``tryfirst``/``trylast`` still apply on top of that order.
    """

    def __init__(self, config: Config | None = None, plugins: list | tuple = ()):
        self.config = config or Config()
        if plugins:  # kept in the config, so that worker processes register them too
            self.config = self.config.with_plugins(plugins)
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        if os.environ.get(TRACE_ENV, "") not in ("", "0"):
            self._enable_tracing()
        self.infos: list[PluginInfo] = []
        self.disabled: list[PluginInfo] = []
        self._collect()
        self._register()
        self.setup_hook("configure", "failed to configure", config=self.config)
        for info in self.all_infos():
            info.options = dict(getattr(info.obj, "options", None) or info.defaults)

    # ------------------------------------------------------------------ collection
    def _collect(self) -> None:
        for spec in BUILTIN_PLUGINS:
            obj = _load_builtin(spec)
            self.infos.append(PluginInfo(_plugin_name(obj, spec), __version__, "builtin",
                                         [], obj))
        for obj in self.config.plugins:
            obj = _instantiate(obj)
            version = getattr(sys.modules.get(getattr(obj, "__module__", "")), "__version__", "")
            self.infos.append(PluginInfo(_plugin_name(obj, type(obj).__name__),
                                         str(version or "-"), "object", [], obj))
        for directory in self.config.plugins_dirs:
            self._collect_dir(Path(directory))
        if not self.config.load_entry_points or os.environ.get(BLOCK_ENTRY_POINTS_ENV):
            return
        for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            dist = ep.dist.name if ep.dist else "unknown"
            version = ep.dist.version if ep.dist else "unknown"
            try:
                obj = _instantiate(ep.load())
            except Exception as exc:  # a broken package must not stop the others
                self.disabled.append(PluginInfo(ep.name, version, f"package:{dist}", [],
                                                None, f"failed to load: {exc!r}"))
                _warn(f"clean-corpus: plugin {ep.name!r} from {dist} failed to load: {exc!r}")
                continue
            self.infos.append(PluginInfo(_plugin_name(obj, ep.name), version,
                                         f"package:{dist}", [], obj))

    def _collect_dir(self, directory: Path) -> None:
        if not directory.is_dir():
            raise ConfigError(f"--plugins-dir {directory}: no such directory")
        for path in sorted(directory.glob("*.py")):
            if path.name.startswith(("_", ".")):
                continue
            try:
                objs = load_plugin_file(path)
            except Exception as exc:  # as for a broken package: report it, run the rest
                self.disabled.append(PluginInfo(path.stem, "-", f"file:{path}", [], None,
                                                f"failed to load: {exc!r}"))
                _warn(f"clean-corpus: plugin file {path} failed to load: {exc!r}")
                continue
            for obj in objs:
                self.infos.append(PluginInfo(_plugin_name(obj, path.stem), "-",
                                             f"file:{path}", [], obj))

    def _not_loaded(self, info: PluginInfo, reason: str) -> None:
        """Leave ``info`` out, as a plugin that failed to load: reported, the rest run."""
        info.error = f"failed to load: {reason}"
        self.disabled.append(info)
        _warn(f"clean-corpus: plugin {info.name!r} ({info.source}) failed to load: {reason}")

    def _register(self) -> None:
        # A second plugin of one name (a built-in's, say) would take the first one's place.
        first: dict[str, PluginInfo] = {}
        for info in self.infos:
            if info.name in first:
                self._not_loaded(info, f"the name is taken by the plugin from "
                                       f"{first[info.name].source}")
            else:
                first[info.name] = info
        self.infos = list(first.values())
        names = [info.name for info in self.infos]
        placements = {name: self.config.placement(name) for name in names}
        named = [*self.config.order, *self.config.disable, *self.config.enable,
                 *self.config.options,
                 *(n for placed in placements.values() for ns in placed.values() for n in ns)]
        unknown = list(dict.fromkeys(n for n in named if n not in names))
        if unknown:
            raise ConfigError(f"unknown plugin name(s) {unknown}; known: {names}")
        ordered = self._placed(sorted(self.infos, key=self._chain_position), placements)
        active = [info for info in ordered if not self._is_disabled(info)]
        self.disabled += [info for info in ordered if self._is_disabled(info)]
        for info in reversed(active):
            try:
                self.pm.register(info.obj, name=info.name)
                # A misspelt hook (``cleen``) would never be called, without a word.
                # (pluggy's ``optionalhook`` marks one meant for a hook that may not exist)
                unknown = sorted(caller.name for caller in self.pm.get_hookcallers(info.obj)
                                 if not caller.has_spec() and not all(
                                     impl.optionalhook for impl in caller.get_hookimpls()
                                     if impl.plugin is info.obj))
                if unknown:
                    what = "is not a hook" if len(unknown) == 1 else "are not hooks"
                    raise pluggy.PluginValidationError(
                        info.obj, f"{unknown} {what} of clean-corpus (see clean_corpus.hookspecs)")
            except pluggy.PluginValidationError as exc:  # a hook it cannot be called with
                if self.pm.is_registered(info.obj):  # its hooks before the wrong one
                    self.pm.unregister(info.obj)
                self._not_loaded(info, str(exc).replace("\n", " "))
                continue
            info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(info.obj))
        self.infos = [info for info in active if info.error is None]
        for impl in self.pm.hook.extract.get_hookimpls():
            if not (impl.wrapper or impl.hookwrapper):
                impl.function = _checked_extraction(impl.function, impl.plugin_name)
        self._check_placements(placements)
        for info in self.disabled:
            if info.obj is not None:
                # Methods marked @hookimpl, as pluggy would see them (not every attribute
                # that happens to share a name with the hookspecs module, like __class__).
                info.hooks = sorted(n for n in dir(info.obj)
                                    if self.pm.parse_hookimpl_opts(info.obj, n) is not None)
                info.error = info.error or ("disabled by configuration"
                                            if info.name in self.config.disable
                                            else "disabled by default (enable to use)")

    @staticmethod
    def _placed(ordered: list[PluginInfo], placements: dict) -> list[PluginInfo]:
        """``ordered`` with every ``before``/``after`` of the configuration satisfied.

        ``A before B`` moves A to just before B, ``A after B`` to just after B; the other
        plugins keep their order. The result is the registration order, which is the
        order pluggy calls plugins in.
        """
        must_follow: dict[str, set[str]] = {info.name: set() for info in ordered}
        pulled: dict[str, list[str]] = {info.name: [] for info in ordered}
        for name, placed in placements.items():
            for other in placed["before"]:
                must_follow[other].add(name)
                pulled[other].append(name)
            for other in placed["after"]:
                must_follow[name].add(other)
        position = {info.name: i for i, info in enumerate(ordered)}
        by_name = {info.name: info for info in ordered}
        done: set[str] = set()

        def first_ready(candidates, visiting: frozenset):
            for info in candidates:
                if info.name in done or info.name in visiting:
                    continue
                if must_follow[info.name] <= done:
                    return info
                # Held back by a plugin that must come before it: bring that one forward.
                ahead = sorted((n for n in pulled[info.name] if n not in done), key=position.get)
                found = first_ready([by_name[n] for n in ahead], visiting | {info.name})
                if found is not None:
                    return found
            return None

        # A plugin placed after another comes right after it, even if it stood later.
        followers = {info.name: [by_name[n] for n in position if info.name in
                                 placements[n]["after"]] for info in ordered}
        result: list[PluginInfo] = []
        next_up: list[PluginInfo] = []
        while len(result) < len(ordered):
            ready = first_ready(next_up, frozenset()) or first_ready(ordered, frozenset())
            if ready is None:
                stuck = sorted(n for n in must_follow if n not in done and must_follow[n] - done)
                raise ConfigError(f"before/after settings form a cycle among {stuck}")
            done.add(ready.name)
            result.append(ready)
            next_up = [i for i in next_up + followers[ready.name] if i.name not in done]
        return result

    def _check_placements(self, placements: dict) -> None:
        """Refuse a ``before``/``after`` that ``tryfirst``/``trylast`` overrule.

        Registration order places plugins, but pluggy calls ``tryfirst`` implementations
        before all others (and ``trylast`` after): say so rather than ignore the setting.
        """
        active = {info.name for info in self.infos}
        for name, placed in placements.items():
            pairs = [(name, o) for o in placed["before"]] + [(o, name) for o in placed["after"]]
            for first, second in pairs:
                if not {first, second} <= active:
                    continue  # a disabled plugin has no place to keep
                for caller in self.pm.get_hookcallers(self.pm.get_plugin(first)) or []:
                    if caller.name == "configure":
                        continue
                    chain = self.chain(caller.name)
                    if second in chain and chain.index(first) > chain.index(second):
                        raise ConfigError(
                            f"{first} cannot run before {second} in hook {caller.name}: "
                            "tryfirst/trylast on their implementations decide otherwise")

    def _is_disabled(self, info: PluginInfo) -> bool:
        # An alternative backend (say a second language detector) ships disabled and is
        # switched on with `enable`; see Plugin.enabled_by_default.
        return self.config.is_disabled(info.name, getattr(info.obj, "enabled_by_default", True))

    def _chain_position(self, info: PluginInfo) -> tuple[int, int]:
        order = self.config.order
        if info.name in order:
            return (0, order.index(info.name))
        return (1, self.infos.index(info))

    def _enable_tracing(self) -> None:
        """Trace every hook call on stderr with pluggy's tracer: the plugins called, in
        order, the arguments and the results (what ``enable_tracing`` shows, plus who)."""
        self.pm.trace.root.setwriter(_trace_writer)
        trace = self.pm.trace.root.get("hook")

        def before(hook_name, impls, kwargs):
            trace.root.indent += 1
            trace(f"{hook_name} <- {', '.join(i.plugin_name for i in reversed(impls))}", kwargs)

        def after(outcome, hook_name, impls, kwargs):
            if outcome.exception is None:
                trace("finish", hook_name, "-->", outcome.get_result())
            else:
                trace("finish", hook_name, "raised", repr(outcome.exception))
            trace.root.indent -= 1

        self.pm.add_hookcall_monitoring(before, after)

    def setup_hook(self, name: str, failure: str, last_first: bool = False, **kwargs) -> None:
        """Call a set-up hook (configure, register_*); a plugin raising is a usage error
        that names it, not a traceback. ``last_first`` calls the end of the chain first."""
        for plugin, exc in call_each(getattr(self.pm.hook, name), kwargs, last_first):
            if isinstance(exc, ConfigError):
                raise exc
            raise ConfigError(f"plugin {plugin!r} {failure}: {type(exc).__name__}: {exc} "
                              f"(disable it with --disable {plugin})") from exc

    # --------------------------------------------------------------------- queries
    @property
    def hook(self):
        return self.pm.hook

    def chain(self, hook_name: str) -> list[str]:
        """Plugin names implementing ``hook_name``, in the order pluggy calls them."""
        impls = getattr(self.pm.hook, hook_name).get_hookimpls()
        return [impl.plugin_name for impl in reversed(impls)]

    def blame(self, exc: BaseException) -> str:
        """Name the plugin whose code raised ``exc`` (innermost frame that belongs to one)."""
        if isinstance(exc, InvalidResult):
            return exc.plugin
        modules = {}
        for info in self.infos:
            module = getattr(info.obj, "__module__", None) or getattr(info.obj, "__name__", "")
            if inspect.ismodule(info.obj):
                module = info.obj.__name__
            modules.setdefault(module, info.name)
        for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
            owner = frame.f_locals.get("self")
            for info in self.infos:
                if owner is info.obj:
                    return info.name
            name = modules.get(frame.f_globals.get("__name__", ""))
            if name:
                return name
        return "core"

    def all_infos(self) -> list[PluginInfo]:
        return self.infos + self.disabled

    def load_errors(self) -> list[dict]:
        """The plugins that failed to load, as errors of the run (hook ``load``): a run
        without them is not the run asked for, and ends with exit status 1."""
        prefix = "failed to load: "
        return [{"hook": "load", "plugin": info.name, "error": info.error[len(prefix):]}
                for info in self.disabled if (info.error or "").startswith(prefix)]


def _trace_writer(message: str) -> None:
    """pluggy's trace lines on stderr, each cut short (arguments hold whole pages)."""
    lines = [line if len(line) <= TRACE_LINE_CHARS else line[:TRACE_LINE_CHARS] + "..."
             for line in message.splitlines()]
    sys.stderr.write("".join(f"clean-corpus trace: {line}\n" for line in lines))
