"""The generic news spider: ``scrapy crawl news -a start_url=URL``.

Starts from a site's front page, an RSS/Atom feed or a sitemap (plain or gzipped, index or
URL set), follows links within the allowed domains and hands every *article* page to the
clean-corpus chain as a :class:`Page` item (``url`` + ``html``). Front pages, section pages
and other listings are only followed, never emitted: :func:`classify` tells them apart from
articles by signals a page carries whatever its site (see there).

Arguments (``-a NAME=VALUE``):

``start_url``        front page, feed or sitemap URL (required); several, separated by
                     spaces, crawl several sites in one run
``allowed_domains``  comma-separated domains to stay in (default: the start URLs' domains,
                     without ``www.``, subdomains included)
``max_pages``        stop after this many article pages (default: no limit)
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import CloseSpider, IgnoreRequest, UsageError
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.selector import Selector
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from clean_corpus_plugins.detectors.page import ld_type_names

logger = logging.getLogger(__name__)


@dataclass
class Page:
    """One article page as fetched: what the clean-corpus pipeline turns into a record."""

    url: str
    html: str

    def __repr__(self) -> str:  # Scrapy logs dropped items: not the whole page, please
        return f"Page(url={self.url!r}, html=<{len(self.html)} chars>)"


@dataclass
class DownloadFailure:
    """A page the crawl gave up on (a connection error or time-out, a response over
    DOWNLOAD_MAXSIZE): the clean-corpus pipeline counts and reports it as a failed document."""

    url: str
    download_error: str


# ------------------------------------------------------------------------ page kinds
#: schema.org types (JSON-LD ``@type``) of one article, and of pages listing many.
ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
                 "blogposting", "liveblogposting", "scholarlyarticle", "techarticle",
                 "report"}
LISTING_TYPES = {"collectionpage", "itemlist", "searchresultspage", "profilepage"}

#: Path segments of sections, tags, authors, archives and pagination, in the languages of
#: the corpora we build (a page under them lists articles).
_LISTING_SEGMENT = re.compile(
    r"/(tags?|category|categories|categorie|categorias?|kategorie|rubriques?|sections?|"
    r"topics?|themes?|themen|dossiers?|authors?|auteurs?|autor(?:es)?|archives?|archiv|"
    r"page|pages|seite|pagina|search|recherche|suche|buscar)(/|$)", re.I)
#: Article URLs usually carry a date, a numeric id, or a slug of several words.
_ARTICLE_URL = re.compile(
    r"/(19|20)\d\d[/-]\d\d?([/-]\d\d?)?/|[/_-]\d{5,}(\.html?|/|$)|"
    r"/[^/]*\w+-\w+-\w+-\w+[^/]*(\.html?|/)?$", re.I)

#: Elements whose text is not part of a page's content: site chrome present on every page,
#: code, and form controls. A page-level <header>/<footer> is chrome too; an article's own
#: header and footer are not (they hold its title and credits).
_CHROME_TAGS = {"nav", "aside", "script", "style", "noscript", "template", "select",
                "button", "svg"}
_PAGE_CHROME_TAGS = {"header", "footer"}
#: Block-level elements: text belongs to the nearest one (inline elements such as <span>,
#: <b>, <a> or <br> do not start a block of their own).
_BLOCK_TAGS = {"body", "main", "article", "section", "div", "p", "td", "th", "li", "dd",
               "dt", "blockquote", "pre", "figure", "figcaption", "form", "center",
               "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl"}
#: A block with this much text, few of it in links, is prose, not a teaser or a menu entry.
PROSE_MIN_CHARS = 120


def _chars(text: str | None) -> int:
    return len(" ".join(text.split())) if text else 0


def _text_measures(root) -> tuple[int, int, dict]:
    """Content text, text in links, and ``{block: [chars, link_chars]}`` of a page.

    One walk over the tree (with a stack: real pages nest deeper than Python recursion
    likes); each piece of text is counted for its nearest block-level element.
    """
    body = root.find(".//body")
    body = body if body is not None else root
    blocks: dict = {}
    total = in_links = 0
    stack = [(body, body, False, False)]
    while stack:
        element, block, in_link, in_content = stack.pop()
        pieces = [(element.text, block, in_link)]
        for child in element:
            pieces.append((child.tail, block, in_link))  # a tail lies outside its element
            tag = child.tag.lower() if isinstance(child.tag, str) else None
            if tag is None or tag in _CHROME_TAGS or (tag in _PAGE_CHROME_TAGS
                                                       and not in_content):
                continue
            stack.append((child, child if tag in _BLOCK_TAGS else block,
                          in_link or tag == "a", in_content or tag in ("article", "main")))
        for text, owner, linked in pieces:
            n = _chars(text)
            if not n:
                continue
            counts = blocks.setdefault(owner, [0, 0])
            counts[0] += n
            total += n
            if linked:
                counts[1] += n
                in_links += n
    return total, in_links, blocks


def _ld_types(response: TextResponse) -> set[str]:
    scripts = response.xpath('//script[@type="application/ld+json"]/text()').getall()
    # "https://schema.org/NewsArticle" names the same type as "NewsArticle"
    return {name.lower().rsplit("/", 1)[-1] for name in ld_type_names(scripts)}


def page_signals(response: TextResponse) -> dict:
    """Measurements :func:`classify` weighs; also logged, so a decision can be checked."""
    og_type = (response.xpath('//meta[@property="og:type"]/@content').get() or "").strip().lower()
    body_text, link_text, blocks = _text_measures(response.selector.root)
    # The largest run of prose under one parent: an article's paragraphs are siblings,
    # whereas the standfirsts of a front page sit each in its own teaser card.
    prose_by_parent: dict = {}
    for block, (chars, links) in blocks.items():
        if chars >= PROSE_MIN_CHARS and links <= 0.3 * chars:
            parent = block.getparent()
            prose_by_parent[parent] = prose_by_parent.get(parent, 0) + chars
    path = urlsplit(response.url).path or "/"
    return {
        "og_type": og_type,
        "ld_types": sorted(_ld_types(response)),
        "articles": len(response.xpath("//article")),
        "main_prose": max(prose_by_parent.values(), default=0),
        "link_share": round(link_text / body_text, 3) if body_text else 1.0,
        "front_path": bool(re.fullmatch(r"/(index\.\w+)?", path)),
        "listing_path": bool(_LISTING_SEGMENT.search(path)),
        "article_path": bool(_ARTICLE_URL.search(path)),
    }


def classify(response: TextResponse) -> tuple[str, dict]:
    """``("article" | "listing", signals)`` for an HTML page.

    Each signal votes; declared metadata weighs most, then the page's shape (a long run of
    prose, a low share of text in links), then the URL. A page needs a positive total to
    be an article, so a page with no evidence either way (no prose, no metadata) is a
    listing: it is followed, and its links lead to the articles.
    """
    s = page_signals(response)
    votes = {}
    ld = set(s["ld_types"])
    if ld & ARTICLE_TYPES:
        votes["ld_article"] = 3
    elif ld & LISTING_TYPES:
        votes["ld_listing"] = -3
    if s["og_type"] == "article":
        votes["og_article"] = 2
    elif s["og_type"] == "website":
        votes["og_website"] = -1
    if s["main_prose"] >= 1500:
        votes["prose"] = 3
    elif s["main_prose"] >= 800:
        votes["prose"] = 2
    elif s["main_prose"] >= 400:
        votes["prose"] = 1
    elif s["main_prose"] < 200:
        votes["no_prose"] = -2
    if s["link_share"] >= 0.6:
        votes["links"] = -2
    elif s["link_share"] >= 0.4:
        votes["links"] = -1
    elif s["link_share"] < 0.25:
        votes["few_links"] = 1
    if s["articles"] >= 4 and s["main_prose"] < 800:
        votes["teaser_cards"] = -1
    if s["front_path"]:
        votes["front_url"] = -3
    elif s["listing_path"]:
        votes["listing_url"] = -2
    elif s["article_path"]:
        votes["article_url"] = 1
    s["votes"] = votes
    return ("article" if sum(votes.values()) > 0 else "listing"), s


# ---------------------------------------------------------------------- feeds, sitemaps
_XML_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF|urlset|sitemapindex)[\s>]")


def xml_kind(body: bytes) -> str | None:
    """``rss``/``feed``/``RDF``/``urlset``/``sitemapindex`` for feeds and sitemaps, else None."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    match = _XML_ROOT.search(head)
    # Skip the prolog (<?xml ...?>, comments, doctype): the first element must be the root.
    if match and not re.search(rb"<[A-Za-z]", head[:match.start()]):
        return match.group(1).decode()
    return None


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Article URLs of an RSS 0.9x/1.0/2.0 or Atom feed, in feed order."""
    sel = Selector(body=body, type="xml")
    links = sel.xpath("//*[local-name()='item']/*[local-name()='link']/text()").getall()
    links += sel.xpath("//*[local-name()='item'][not(*[local-name()='link'])]"
                       "/*[local-name()='guid'][not(@isPermaLink='false')]/text()").getall()
    links += sel.xpath("//*[local-name()='entry']/*[local-name()='link']"
                       "[not(@rel) or @rel='alternate']/@href").getall()
    return [urljoin(base_url, link.strip()) for link in links if link.strip()]


# ------------------------------------------------------------------------------ spider
#: Settings of the repository's Scrapy project that only make sense there.
_PROJECT_ONLY = {"SPIDER_MODULES", "NEWSPIDER_MODULE"}


def _check_clean_corpus_settings(settings) -> None:
    """Build the clean-corpus chain the settings describe, or raise a ``UsageError``.

    Scrapy reports a usage error as one line (``scrapy crawl``, ``runspider``); the
    same mistake found later, when the pipeline starts, would be a traceback.
    """
    from clean_corpus.config import ConfigError
    from clean_corpus.crawl import config_from_settings
    from clean_corpus.plugins import PluginRegistry

    if not settings.getbool("CLEAN_CORPUS_ENABLED", True):
        return
    try:
        PluginRegistry(config_from_settings(settings))
    except (ConfigError, ValueError) as exc:
        raise UsageError(f"clean-corpus settings: {exc}", print_help=False) from None


#: Links that never lead to articles: accounts, subscriptions, sharing, printing, search.
DENY_LINKS = (
    r"/(log-?in|log-?out|sign-?in|sign-?up|register|account|my-account|compte|connexion|"
    r"inscription|abonnement|subscribe|newsletters?|panier|cart|checkout)(/|$|\?|\.)",
    r"/(share|partage|print|imprimer|search|recherche|suche|buscar)(/|$|\?|\.)",
    r"[?&](share|print|replytocom|utm_\w+|amp)=",
)


class NewsSpider(scrapy.Spider):
    """Crawls one news site and emits its article pages (see the module docstring)."""

    name = "news"

    def __init__(self, start_url: str | list[str] | None = None,
                 allowed_domains: str | None = None, max_pages: str | int | None = None,
                 *args, **kwargs):
        super().__init__(*args, **kwargs)
        urls = start_url.split() if isinstance(start_url, str) else list(start_url or [])
        if not urls:
            raise ValueError("the news spider needs a start URL: -a start_url=URL")
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"start_url must be an http(s) URL, got {url!r}")
        self.start_urls = urls
        if allowed_domains:
            # Domains, as Scrapy means them: no scheme, no port (a port would never match).
            domains = [re.sub(r"^\w+://|:\d+$|/.*$", "", d.strip().lower())
                       for d in str(allowed_domains).split(",") if d.strip()]
        else:
            domains = list(dict.fromkeys(urlsplit(url).hostname.lower().removeprefix("www.")
                                         for url in urls))
        self.allowed_domains = domains
        for url in urls:
            if not self.in_domains(url):
                # Scrapy would drop the start request (and its robots.txt) without a word.
                raise ValueError(f"start_url {url} is outside allowed_domains {domains}; "
                                 "list its domain too (a feed on its own host, say)")
        self.max_pages = int(max_pages) if max_pages not in (None, "") else None
        if self.max_pages is not None and self.max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        # Domains are checked on the host name, as Scrapy's OffsiteMiddleware does (the
        # link extractor's allow_domains would compare host:port).
        self.links = LinkExtractor(deny=DENY_LINKS, unique=True)

    @property
    def articles(self) -> int:
        # Kept in self.state so a crawl resumed from JOBDIR goes on counting.
        return self._state().get("articles", 0)

    def _state(self) -> dict:
        if not isinstance(getattr(self, "state", None), dict):
            self.state = {}
        return self.state

    async def start(self):
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.download_failed)

    def download_failed(self, failure):
        """Report a request Scrapy gave up on, so the crawl's counts include it."""
        if failure.check(IgnoreRequest):
            # Not fetched on purpose (robots.txt, an offsite link), or an HTTP error status
            # (a dead link: Scrapy counts those, httperror/response_ignored_count).
            return
        self.crawler.stats.inc_value("news/download_failures")
        yield DownloadFailure(url=failure.request.url, download_error=(
            f"{failure.type.__name__}: {failure.getErrorMessage()}"))

    @classmethod
    def update_settings(cls, settings):
        """The project's polite settings, wherever nothing else set them.

        ``scrapy crawl news`` from the repository gets them from the project
        (``clean_corpus_spiders.settings``); ``scrapy runspider`` on this file, another
        Scrapy project or ``clean-corpus crawl`` get the same: robots.txt obeyed,
        AutoThrottle, the clean-corpus user agent and add-on. A value set by a project or
        with ``-s`` is kept. A bad ``CLEAN_CORPUS_*`` setting stops the crawl here, with
        a one-line usage error, before anything is fetched.
        """
        super().update_settings(settings)
        from clean_corpus_spiders import settings as polite

        for name in dir(polite):
            if name.isupper() and name not in _PROJECT_ONLY and (
                    (settings.getpriority(name) or 0) <= SETTINGS_PRIORITIES["default"]):
                settings.set(name, getattr(polite, name), priority="spider")
        # A project with add-ons of its own still gets the clean-corpus one.
        from clean_corpus.crawl import ADDON_PATH, CleanCorpusAddon

        if not {ADDON_PATH, CleanCorpusAddon} & set(settings.getdict("ADDONS")):
            settings["ADDONS"][ADDON_PATH] = 0
        _check_clean_corpus_settings(settings)

    def parse(self, response: Response):
        body = response.body
        kind = xml_kind(body)  # by content: feeds are often served as text/html or octets
        if kind is None and body[:2] == b"\x1f\x8b":  # a .xml.gz sitemap served as is
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            kind = xml_kind(body)
        if kind in ("urlset", "sitemapindex"):
            yield from self.parse_sitemap(response, body)
        elif kind in ("rss", "feed", "RDF"):
            yield from self.parse_feed(response, body)
        elif isinstance(response, HtmlResponse):
            yield from self.parse_page(response)
        else:
            logger.debug("not a page, feed or sitemap: %s", response.url)

    def parse_sitemap(self, response: Response, body: bytes):
        sitemap = Sitemap(body)
        for entry in sitemap:
            url = urljoin(response.url, entry["loc"])
            if not self.in_domains(url):
                continue
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(url, callback=self.parse, errback=self.download_failed)
            else:
                yield self._request(url)

    def parse_feed(self, response: Response, body: bytes):
        for url in feed_links(body, response.url):
            if self.in_domains(url):
                yield self._request(url)

    def parse_page(self, response: HtmlResponse):
        kind, signals = classify(response)
        logger.debug("%s: %s %s", kind, response.url, signals["votes"])
        if kind == "article":
            if self.max_pages is not None and self.articles >= self.max_pages:
                raise CloseSpider("max_pages")
            self._state()["articles"] = self.articles + 1
            self.crawler.stats.inc_value("news/articles")
            yield Page(url=response.url, html=response.text)
            if self.max_pages is not None and self.articles >= self.max_pages:
                raise CloseSpider("max_pages")
        else:
            self.crawler.stats.inc_value("news/listings")
        for link in self.links.extract_links(response):
            if self.in_domains(link.url):
                yield self._request(link.url)

    def in_domains(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def _request(self, url: str) -> scrapy.Request:
        # Likely articles first, so that max_pages is spent on articles, not on listings.
        priority = 1 if _ARTICLE_URL.search(urlsplit(url).path) else 0
        return scrapy.Request(url, callback=self.parse, priority=priority,
                              errback=self.download_failed)
