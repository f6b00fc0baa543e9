"""The Scrapy project of clean-corpus (``scrapy.cfg`` at the repository root).

``scrapy crawl news -a start_url=URL -O out.jsonl`` crawls a news site and writes
clean-corpus records; see ``docs/crawling.md``.
"""
