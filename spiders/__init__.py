"""The Scrapy project of clean-corpus: settings and the generic news spider."""
