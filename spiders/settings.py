"""Settings of the clean-corpus Scrapy project: polite defaults for crawling news sites.

Every value can be overridden per run with ``scrapy crawl news -s NAME=VALUE``.
"""
import scrapy

from clean_corpus import __version__

BOT_NAME = "clean-corpus"
SPIDER_MODULES = ["clean_corpus_spiders.news"]
NEWSPIDER_MODULE = "clean_corpus_spiders"

# Pages go through the clean-corpus chain (clean_corpus.crawl); records come out as items.
ADDONS = {"clean_corpus.crawl.CleanCorpusAddon": 0}

# --- politeness ---------------------------------------------------------------------------
# Say who we are; add a way to reach you (URL or e-mail) in your own runs:
#   -s USER_AGENT="clean-corpus/0.1 (+https://example.org/contact)"
USER_AGENT = (f"clean-corpus/{__version__} (news corpus crawler; "
              f"Scrapy/{scrapy.__version__})")
ROBOTSTXT_OBEY = True
# robots.txt groups are matched on this product token ("User-agent: clean-corpus").
ROBOTSTXT_USER_AGENT = "clean-corpus"
# One request at a time per site, at least one second apart, slower when the site is slow.
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 60
# Articles over 10 MiB are scraping accidents; do not download them. The pipeline's default
# [run] max_bytes is the same, so a page downloaded is not refused as too large (the pipeline
# counts the page's text as UTF-8, which a page in a legacy encoding may outgrow).
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# --- HTTP cache: off by default -------------------------------------------------------------
# Off, so that a crawl sees the site as it is today and does not fill the disk silently.
# Turn it on while tuning cleaners on the same pages (-s HTTPCACHE_ENABLED=True): pages are
# then fetched once and replayed from .scrapy/httpcache on later runs.
HTTPCACHE_ENABLED = False
HTTPCACHE_DIR = "httpcache"
HTTPCACHE_EXPIRATION_SECS = 0
HTTPCACHE_IGNORE_HTTP_CODES = [500, 502, 503, 504, 408, 429]

# --- output and logs ----------------------------------------------------------------------
# Records as readable UTF-8, like `clean-corpus run` writes them.
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# No control ports opened by a crawl.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Pause with Ctrl-C (once) and resume with the same command when a job directory is given;
# write with -o (append), not -O (overwrite), or the resumed run replaces the first part:
#   scrapy crawl news -a start_url=URL -o out.jsonl -s JOBDIR=crawls/news-1
