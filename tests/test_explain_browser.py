"""The explain report, opened in a real headless Chromium (the system's, driven by its
chromedriver): removed spans highlighted where they stood, the overview's figures equal to
``--stats``, nothing fetched. Screenshots go to out/ for a person to look at."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from conftest import FIXTURES, REPO, builtin_cli, read_jsonl

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SCREENSHOTS = REPO / "out"
SEED = FIXTURES / "seeds" / "002_83486dd3ab81b09f.txt"
PAGE = FIXTURES / "holdout" / "en_science.html"
TRANSPARENT = ("rgba(0, 0, 0, 0)", "transparent")


@pytest.fixture(scope="module")
def browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    assert not missing, f"{missing} missing: `make test` installs chromium and chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                 "--window-size=1280,1400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    yield driver
    driver.quit()


def _open(browser, path: Path) -> None:
    browser.get(path.resolve().as_uri())


def _screenshot(browser, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(900, height), 4000))
    assert browser.save_screenshot(str(SCREENSHOTS / name))
    browser.set_window_size(1280, 1400)


def _nothing_fetched(browser) -> None:
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == [], resources


def _record_of(path: Path, tmp_path: Path) -> dict:
    out = tmp_path / f"{path.stem}.jsonl"
    builtin_cli("run", path, "-o", out, "--no-progress", "-q")
    (record,) = read_jsonl(out)
    return record


def _check_highlighted(browser, record: dict) -> list:
    spans = browser.find_elements(By.CSS_SELECTOR, "#text .rm")
    shown = Counter((s.get_attribute("data-plugin"), s.get_attribute("data-reason"), s.text)
                    for s in spans)
    assert shown == Counter((r["plugin"], r["reason"], r["text"]) for r in record["removed"])
    page_background = browser.execute_script(
        "return getComputedStyle(document.getElementById('text')).backgroundColor")
    for span in spans:
        background = span.value_of_css_property("background-color")
        assert background not in TRANSPARENT and background != page_background, span.text
        assert span.is_displayed()
    return spans


def _check_record_text_alone(browser, record: dict) -> None:
    """Hiding the removed spans leaves exactly the record's text."""
    browser.find_element(By.ID, "only-kept").click()
    assert browser.find_element(By.ID, "text").get_attribute("innerText") == record["text"]
    browser.find_element(By.ID, "only-kept").click()


def test_seed_page_highlights_every_removed_span_where_it_stood(browser, tmp_path):
    record = _record_of(SEED, tmp_path)
    page = tmp_path / "seed.html"
    builtin_cli("explain", SEED, "-o", page, "--no-progress")
    _open(browser, page)
    spans = _check_highlighted(browser, record)
    assert len(spans) == len(record["removed"]) >= 5
    # hovering shows the plugin and the reason
    ActionChains(browser).move_to_element(spans[0]).perform()
    tip = browser.execute_script("return getComputedStyle(arguments[0], '::after').content",
                                 spans[0])
    assert f'{spans[0].get_attribute("data-plugin")}: {spans[0].get_attribute("data-reason")}' in tip
    _screenshot(browser, "explain-seed.png")
    _check_record_text_alone(browser, record)
    # the fields lifted out of the text, and the detections
    fields = {row.get_attribute("data-field"): row.text
              for row in browser.find_elements(By.CSS_SELECTOR, "table.fields tr")}
    assert record["title"] in fields["title"] and "lifted out of the text" in fields["title"]
    detectors = {row.get_attribute("data-detector")
                 for row in browser.find_elements(By.CSS_SELECTOR, "tr[data-detector]")}
    assert detectors == set(record["detections"])
    # a legend entry unticked hides that plugin's spans
    box = browser.find_element(By.CSS_SELECTOR, ".legend input")
    box.click()
    hidden = [s for s in spans if s.get_attribute("data-plugin") == box.get_attribute("value")]
    assert hidden and not any(s.is_displayed() for s in hidden)
    _nothing_fetched(browser)


def test_html_page_shows_what_extraction_left_out(browser, tmp_path):
    record = _record_of(PAGE, tmp_path)
    page = tmp_path / "page.html"
    builtin_cli("explain", PAGE, "-o", page, "--no-progress")
    _open(browser, page)
    _check_highlighted(browser, record)
    _check_record_text_alone(browser, record)
    dropped = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "li.dropped")]
    assert dropped, "the page's navigation and footer are not in the extracted text"
    page_source = PAGE.read_text(encoding="utf-8")
    assert all(text.split()[0] in page_source for text in dropped)
    assert not any(text.split(" nav")[0] in record["text"] for text in dropped)
    _screenshot(browser, "explain-page.png")


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    inputs = out / "in"
    shutil.copytree(FIXTURES / "seeds", inputs / "seeds")
    shutil.copytree(FIXTURES / "pages", inputs / "pages")
    shutil.copytree(FIXTURES / "holdout", inputs / "holdout")
    shutil.copyfile(SEED, inputs / "seeds" / "copy-of-a-seed.txt")  # a duplicate, rejected
    builtin_cli("run", inputs, "-o", out / "records.jsonl", "--stats", out / "stats.json",
                "--report", out / "report", "--no-progress", "-q", "-j", "2")
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    return out / "report", stats, read_jsonl(out / "records.jsonl")


def test_run_overview_figures_match_the_stats(browser, report_run):
    report, stats, records = report_run
    assert stats["written"] and stats["rejected"], "the run must have both to compare"
    _open(browser, report / "index.html")
    figures = {el.get_attribute("data-stat"): int(el.text)
               for el in browser.find_elements(By.CSS_SELECTOR, "[data-stat]")}
    assert figures == {key: stats[key] for key in ("documents", "written", "rejected", "failed")}
    reasons = {row.get_attribute("data-rejected-reasons"): int(row.find_element(By.CSS_SELECTOR, "td.num").text)
               for row in browser.find_elements(By.CSS_SELECTOR, "#rejected_reasons tbody tr")}
    assert reasons == stats["rejected_reasons"]
    rows = browser.find_elements(By.CSS_SELECTOR, "#documents tbody tr")
    assert len(rows) == stats["documents"]
    # the plots: spans per plugin and languages over the written records
    plotted = {g.get_attribute("data-label"): int(g.get_attribute("data-value"))
               for g in browser.find_elements(By.CSS_SELECTOR, "section.plugins-spans g.bar")}
    assert plotted == Counter(r["plugin"] for rec in records for r in rec["removed"])
    languages = {g.get_attribute("data-label"): int(g.get_attribute("data-value"))
                 for g in browser.find_elements(By.CSS_SELECTOR, "section.languages g.bar")}
    assert languages == Counter(rec["language"] for rec in records)
    bins = [int(g.get_attribute("data-count")) for g in browser.find_elements(By.CSS_SELECTOR, "g.bin")]
    assert sum(bins) == stats["written"]
    _nothing_fetched(browser)
    _screenshot(browser, "explain-report.png")
    # each document's page is a link away, and back
    first = browser.find_element(By.CSS_SELECTOR, "#documents tbody tr.written a")
    first.click()
    assert browser.find_element(By.ID, "status").text == "written"
    assert browser.find_elements(By.CSS_SELECTOR, "#text .rm")
    browser.find_element(By.LINK_TEXT, "overview").click()
    assert browser.find_element(By.CSS_SELECTOR, "[data-stat=documents]").text == str(stats["documents"])
