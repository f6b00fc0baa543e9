"""The plugin manager: built-in plugins, entry-point plugins, enabling and ordering."""
from __future__ import annotations

import importlib
import inspect
import os
import sys
import traceback
from dataclasses import dataclass
from importlib.metadata import entry_points

import pluggy

from clean_corpus import ENTRY_POINT_GROUP, PROJECT_NAME, __version__, hookspecs
from clean_corpus.config import Config, ConfigError

#: Set to 1 to load no third-party plugin from entry points (built-ins still load).
BLOCK_ENTRY_POINTS_ENV = "CLEAN_CORPUS_DISABLE_PLUGIN_AUTOLOAD"

#: Built-in plugins, in chain order: readers and writers, extraction, cleaners (each
#: before the ones that rely on its work), then detectors.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "clean_corpus_plugins.readers:TextReader",
    "clean_corpus_plugins.readers:HtmlReader",
    "clean_corpus_plugins.readers:JsonlReader",
    "clean_corpus_plugins.writers:JsonlWriter",
    # admission: inputs too large or empty (screen), documents left with no text (judge)
    "clean_corpus_plugins.limits:SizeLimit",
    "clean_corpus_plugins.limits:EmptyText",
    "clean_corpus_plugins.extract:TrafilaturaExtractor",
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
    # detectors, on the cleaned text (quality reads the language)
    "clean_corpus_plugins.detectors.language:LanguageDetector",
    "clean_corpus_plugins.detectors.language:Py3LangidDetector",
    "clean_corpus_plugins.detectors.error_page:ErrorPage",
    "clean_corpus_plugins.detectors.login_wall:LoginWall",
    "clean_corpus_plugins.detectors.listing_page:ListingPage",
    "clean_corpus_plugins.detectors.quality:Quality",
    "clean_corpus_plugins.detectors.duplicates:Duplicates",
    "clean_corpus_plugins.detectors.text_reuse:TextReuse",
    "clean_corpus_plugins.detectors.site_boilerplate:SiteBoilerplate",
)


@dataclass
class PluginInfo:
    """What ``clean-corpus plugins`` shows about one plugin."""

    name: str
    version: str
    source: str  # "builtin" or "package:<distribution>"
    hooks: list[str]
    obj: object
    error: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "source": self.source,
                "hooks": self.hooks, "enabled": self.error is None, "error": self.error}


def _instantiate(obj):
    return obj() if inspect.isclass(obj) else obj


def _plugin_name(obj, fallback: str) -> str:
    return getattr(obj, "name", None) or fallback


def _load_builtin(spec: str):
    module_name, _, attr = spec.partition(":")
    module = importlib.import_module(module_name)
    return _instantiate(getattr(module, attr) if attr else module)


class PluginRegistry:
    """Builds one pluggy PluginManager for a configuration.

    Plugins are collected first, then disabled ones are left out and the rest registered
    in reverse chain order, because pluggy calls implementations of equal priority
    last-registered first. ``tryfirst``/``trylast`` still apply on top of that order.
    """

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.disabled: list[PluginInfo] = []
        self._collect()
        self._register()
        self.pm.hook.configure(config=self.config)

    # ------------------------------------------------------------------ collection
    def _collect(self) -> None:
        for spec in BUILTIN_PLUGINS:
            obj = _load_builtin(spec)
            self.infos.append(PluginInfo(_plugin_name(obj, spec), __version__, "builtin",
                                         [], obj))
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
                print(f"clean-corpus: plugin {ep.name!r} from {dist} failed to load: {exc!r}",
                      file=sys.stderr)
                continue
            self.infos.append(PluginInfo(_plugin_name(obj, ep.name), version,
                                         f"package:{dist}", [], obj))

    def _register(self) -> None:
        names = [info.name for info in self.infos]
        unknown = [n for n in [*self.config.order, *self.config.disable, *self.config.enable,
                               *self.config.options] if n not in names]
        if unknown:
            raise ConfigError(f"unknown plugin name(s) {unknown}; known: {names}")
        ordered = sorted(self.infos, key=self._chain_position)
        active = [info for info in ordered if not self._is_disabled(info)]
        self.disabled += [info for info in ordered if self._is_disabled(info)]
        for info in reversed(active):
            self.pm.register(info.obj, name=info.name)
            info.hooks = sorted(caller.name for caller in self.pm.get_hookcallers(info.obj))
        self.infos = active
        for info in self.disabled:
            if info.obj is not None:
                # Methods marked @hookimpl, as pluggy would see them (not every attribute
                # that happens to share a name with the hookspecs module, like __class__).
                info.hooks = sorted(n for n in dir(info.obj)
                                    if self.pm.parse_hookimpl_opts(info.obj, n) is not None)
                info.error = info.error or ("disabled by configuration"
                                            if info.name in self.config.disable
                                            else "disabled by default (enable to use)")

    def _is_disabled(self, info: PluginInfo) -> bool:
        # An alternative backend (say a second language detector) ships disabled and is
        # switched on with `enable`; see Plugin.enabled_by_default.
        return self.config.is_disabled(info.name, getattr(info.obj, "enabled_by_default", True))

    def _chain_position(self, info: PluginInfo) -> tuple[int, int]:
        order = self.config.order
        if info.name in order:
            return (0, order.index(info.name))
        return (1, self.infos.index(info))

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
