"""What plugin authors get: clean_corpus.testing, local plugin files, placement, tracing,
option checks and the `plugins` listing."""
from __future__ import annotations

import json

import pytest

from clean_corpus import Plugin, hookimpl
from clean_corpus.config import Config, ConfigError
from clean_corpus.plugins import PluginRegistry
from clean_corpus.testing import (builtin_cli, clean_page, clean_text, cli, make_chain,
                                  read_jsonl, removed_by, run_chain)
from conftest import BUILTINS_ONLY, FIXTURES

PROSE = ("Le conseil municipal a voté mardi soir le budget primitif après trois heures de "
         "débat, et la majorité a défendu une hausse mesurée des investissements.")
SHOUT = "ABONNEZ-VOUS MAINTENANT POUR TOUT LIRE"


def plugins_folder(tmp_path, name: str, source: str):
    """``tmp_path/plugins`` holding one plugin file, for ``--plugins-dir``."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / name).write_text(source, encoding="utf-8")
    return folder


def input_file(tmp_path, name: str, text: str):
    """``tmp_path/in/NAME`` holding ``text``."""
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


class DropShouting(Plugin):
    """Remove lines written entirely in capitals."""

    name = "drop_shouting"
    defaults = {"min_letters": 12}

    @hookimpl
    def clean(self, document):
        for block in list(document.blocks):
            letters = [c for c in block.text if c.isalpha()]
            if len(letters) >= self.options["min_letters"] and block.text.isupper():
                document.drop_block(block, self.name, "line in capitals")


class TooShort(Plugin):
    """Reject documents of fewer than ``min_words`` words."""

    name = "too_short"
    defaults = {"min_words": 5}

    @hookimpl
    def judge(self, document):
        if len(document.clean_text.split()) < self.options["min_words"]:
            return "too short"
        return None


# ------------------------------------------------------------- clean_corpus.testing
def test_a_plugin_object_runs_alone_or_in_the_built_in_chain():
    alone = clean_text([PROSE, SHOUT], DropShouting(), builtins=False)
    assert removed_by(alone, "drop_shouting") == [SHOUT]
    assert alone.clean_text == PROSE
    assert "language" not in alone.detections  # no built-in detector ran
    full = clean_text([PROSE, SHOUT], DropShouting)  # a class is instantiated
    assert removed_by(full, "drop_shouting") == [SHOUT]
    assert full.meta["language"] == "fr"
    # Options as a config file would give them.
    high = clean_text([PROSE, SHOUT], DropShouting(), builtins=False,
                      options={"drop_shouting": {"min_letters": 100}})
    assert removed_by(high, "drop_shouting") == []


def test_run_chain_gives_each_verdict_in_order():
    outcomes = run_chain([PROSE, "Trop court.", "   "], TooShort(), builtins=["empty_text"])
    assert [o.status for o in outcomes] == ["written", "rejected", "rejected"]
    assert outcomes[1].reasons == ["too short"]


def test_a_page_is_extracted_before_the_plugin_sees_it():
    html = (f"<html><body><article><h1>Budget voté</h1><p>{PROSE}</p><p>{SHOUT}</p>"
            f"<p>{PROSE}</p></article></body></html>")
    doc = clean_page(html, DropShouting(), builtins=False, url="http://site.test/a.html")
    assert removed_by(doc, "drop_shouting") == [SHOUT]
    assert doc.clean_text.count(PROSE) == 2


def test_a_plugin_registered_directly_is_listed_and_blamed():
    class Broken(Plugin):
        """Fails on everything."""
        name = "broken"

        @hookimpl
        def clean(self, document):
            raise RuntimeError("boum")

    registry = PluginRegistry(Config(load_entry_points=False), plugins=[Broken()])
    info = next(i for i in registry.infos if i.name == "broken")
    assert (info.source, info.doc, info.hooks) == ("object", "Fails on everything.",
                                                    ["clean", "configure"])
    [outcome] = run_chain([PROSE], Broken())
    assert (outcome.status, outcome.plugin) == ("failed", "broken")


# -------------------------------------------------------------------- option types
def test_a_wrongly_typed_option_is_a_usage_error_naming_option_type_and_value(tmp_path):
    out = tmp_path / "out.jsonl"
    done = cli("run", FIXTURES / "seeds", "-o", out, "--set", "quality.min_words=abc")
    assert done.returncode == 2
    assert "quality.min_words expects a whole number" in done.stderr
    assert "'abc'" in done.stderr
    assert not out.exists()
    config = tmp_path / "c.toml"
    config.write_text('[plugin.trafilatura]\nfavor_precision = "yes"\n', encoding="utf-8")
    done = cli("plugins", "--config", config)
    assert done.returncode == 2
    assert "trafilatura.favor_precision expects true or false" in done.stderr


def test_option_types_follow_the_defaults():
    with pytest.raises(ConfigError, match="min_mean_word_length expects a number"):
        make_chain(options={"quality": {"min_mean_word_length": "3"}})
    with pytest.raises(ConfigError, match="min_words expects a whole number"):
        make_chain(options={"quality": {"min_words": True}})
    # An integer is a fine float.
    make_chain(options={"quality": {"min_mean_word_length": 3}})


# ------------------------------------------------------------------ `plugins` listing
def test_plugins_lists_doc_options_and_defaults():
    infos = {p["name"]: p for p in json.loads(
        builtin_cli("plugins", "--json", "--set", "quality.min_words=80").stdout)}
    quality = infos["quality"]
    assert quality["doc"] and "\n" not in quality["doc"]
    assert quality["defaults"]["min_words"] == 50
    assert quality["options"]["min_words"] == 80
    text = builtin_cli("plugins", "--set", "quality.min_words=80").stdout
    block = text[text.index("\nquality ") + 1:].split("\n")[1:3]
    assert block[0].strip() == quality["doc"]
    assert "min_words=80 (default 50)" in block[1] and "policy=\"annotate\"" in block[1]



WRAPPED_SUMMARY = '''
from clean_corpus import Plugin, hookimpl


class SiteTemplate(Plugin):
    """Drop the lines a site's template prints above every article (the masthead and its
    menu), once the extractor has run. Nothing else.

    What the listing shows ends with the first sentence.
    """

    name = "site_template"

    @hookimpl
    def clean(self, document):
        pass
'''


def test_plugins_shows_the_whole_first_sentence_of_a_docstring(tmp_path):
    # A summary wrapped over two lines was cut at the end of its first line: "what it
    # does" stopped mid-phrase, for built-ins too ("... as JSON").
    folder = plugins_folder(tmp_path, "site_template.py", WRAPPED_SUMMARY)
    infos = {p["name"]: p for p in json.loads(
        builtin_cli("plugins", "--json", "--plugins-dir", folder).stdout)}
    assert infos["site_template"]["doc"] == (
        "Drop the lines a site's template prints above every article (the masthead and its "
        "menu), once the extractor has run.")
    for name, info in infos.items():
        assert info["doc"].endswith("."), (name, info["doc"])
    text = builtin_cli("plugins", "--plugins-dir", folder).stdout
    shown = text[text.index("\nsite_template ") + 1:].split("\n")[1:3]
    assert " ".join(line.strip() for line in shown) == infos["site_template"]["doc"]
    assert all(len(line) <= 88 for line in shown)



NOTES_READER = '''
from clean_corpus import Plugin, hookimpl
from clean_corpus.document import Document


class NotesReader:
    """Field notes: a .txt file whose lines after the first "--" are the author's own."""

    name = "notes_reader"
    suffixes = (".txt",)

    def read(self, source):
        text = source.read_bytes().decode("utf-8").split("\\n--\\n")[0]
        yield Document(source=source.name, text=text)


class Notes(Plugin):
    """Reads field notes."""

    name = "notes"

    @hookimpl
    def register_readers(self, register):
        register(NotesReader())
'''


def test_a_plugin_reader_claims_a_suffix_before_the_built_in_one(tmp_path):
    # As hookspecs and docs/plugins.md say; the built-in text reader used to keep .txt.
    folder = plugins_folder(tmp_path, "notes.py", NOTES_READER)
    notes = input_file(tmp_path, "day1.txt", f"{PROSE}\n--\nnote to self: call the town hall\n")
    out = tmp_path / "out.jsonl"
    builtin_cli("run", notes, "-o", out, "--plugins-dir", folder, "-q")
    [record] = read_jsonl(out)
    assert record["text"] == PROSE
    builtin_cli("run", notes, "-o", out, "--plugins-dir", folder, "-q", "--disable", "notes")
    [record] = read_jsonl(out)
    assert "call the town hall" in record["text"]


# ------------------------------------------------------------------ local plugin files
PLUGIN_FILE = '''
from clean_corpus import Plugin, hookimpl


class DropShouting(Plugin):
    """Remove lines written entirely in capitals."""

    name = "drop_shouting"

    @hookimpl
    def clean(self, document):
        for block in list(document.blocks):
            if block.text.isupper():
                document.drop_block(block, self.name, "line in capitals")


class FirstLine(Plugin):
    """Remember which line came first when this plugin ran."""

    name = "first_line"

    @hookimpl
    def clean(self, document):
        document.detections[self.name] = document.blocks[1].text if len(document.blocks) > 1 else None
'''


@pytest.fixture
def local_plugins(tmp_path):
    return (plugins_folder(tmp_path, "shouting.py", PLUGIN_FILE),
            input_file(tmp_path, "article.txt", f"{PROSE}\n{SHOUT}\n{PROSE} Encore.\n"))


def test_plugins_dir_loads_local_files_which_run_in_the_chain(tmp_path, local_plugins):
    folder, article = local_plugins
    infos = {p["name"]: p for p in json.loads(
        builtin_cli("plugins", "--json", "--plugins-dir", folder).stdout)}
    assert infos["drop_shouting"]["source"] == f"file:{folder / 'shouting.py'}"
    assert infos["drop_shouting"]["doc"] == "Remove lines written entirely in capitals."
    out = tmp_path / "out.jsonl"
    builtin_cli("run", article, "-o", out, "--plugins-dir", folder, "-q")
    [record] = read_jsonl(out)
    assert removed_by(record, "drop_shouting") == [SHOUT]
    # -j 2: the worker processes load the same files.
    out2 = tmp_path / "out2.jsonl"
    builtin_cli("run", article, "-o", out2, "--plugins-dir", folder, "-q", "-j", "2")
    assert out2.read_bytes() == out.read_bytes()


def test_before_and_after_place_a_plugin(tmp_path, local_plugins):
    folder, article = local_plugins

    def clean_chain(*args):
        listing = json.loads(builtin_cli("plugins", "--json", "--plugins-dir", folder,
                                         *args).stdout)
        return [p["name"] for p in listing if "clean" in p["hooks"] and p["enabled"]]

    default = clean_chain()
    assert default[-2:] == ["drop_shouting", "first_line"]
    config = tmp_path / "c.toml"
    config.write_text('[plugin.first_line]\nbefore = ["kicker"]\n'
                      '[plugin.image_names]\nafter = ["credits"]\n', encoding="utf-8")
    placed = clean_chain("--config", config)
    assert placed.index("first_line") + 1 == placed.index("kicker")
    assert placed.index("image_names") == placed.index("credits") + 1
    # Only the placed plugins moved.
    others = [n for n in default if n not in ("first_line", "image_names")]
    assert [n for n in placed if n in others] == others

    # The order changes the result: first_line sees the shouted line only if it runs first.
    out = tmp_path / "out.jsonl"
    builtin_cli("run", article, "-o", out, "--plugins-dir", folder, "-q",
                "--set", "first_line.before=drop_shouting")
    assert read_jsonl(out)[0]["detections"]["first_line"] == SHOUT
    builtin_cli("run", article, "-o", out, "--plugins-dir", folder, "-q")
    assert read_jsonl(out)[0]["detections"]["first_line"] == f"{PROSE} Encore."

    # --set places from the command line; a cycle or an unknown name is refused.
    assert clean_chain("--set", "first_line.before=drop_shouting") == placed_after(default)
    done = cli("plugins", "--plugins-dir", folder, "--set", "first_line.before=drop_shouting",
               "--set", "first_line.after=drop_shouting")
    assert done.returncode == 2 and "cycle" in done.stderr
    done = cli("plugins", "--set", "kicker.after=no_such_plugin")
    assert done.returncode == 2 and "no_such_plugin" in done.stderr


def placed_after(default: list[str]) -> list[str]:
    """``default`` with first_line moved just before drop_shouting."""
    names = [n for n in default if n != "first_line"]
    names.insert(names.index("drop_shouting"), "first_line")
    return names


def test_placement_that_tryfirst_overrules_is_refused():
    class Early(Plugin):
        name = "early"

        @hookimpl(tryfirst=True)
        def clean(self, document):
            pass

    config = Config(load_entry_points=False, options={"early": {"after": ["kicker"]}})
    with pytest.raises(ConfigError, match="early cannot run before kicker|kicker cannot run"):
        PluginRegistry(config, plugins=[Early()])


def test_a_broken_plugin_file_is_reported_and_the_rest_runs(tmp_path, local_plugins):
    folder, article = local_plugins
    (folder / "broken.py").write_text("import no_such_module\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = cli("run", article, "-o", out, "--plugins-dir", folder, "-q", env=BUILTINS_ONLY)
    assert done.returncode == 1  # the run is not the one asked for: it lacks a plugin
    assert "broken.py failed to load" in done.stderr and "no_such_module" in done.stderr
    assert removed_by(read_jsonl(out)[0], "drop_shouting") == [SHOUT]
    done = cli("run", article, "-o", out, "--plugins-dir", tmp_path / "nowhere")
    assert done.returncode == 2 and "nowhere" in done.stderr


# ------------------------------------------------------------------------- tracing
def test_trace_variable_prints_each_hook_call_with_its_plugins(tmp_path, local_plugins):
    folder, article = local_plugins
    out = tmp_path / "out.jsonl"
    traced = builtin_cli("run", article, "-o", out, "-q", "--plugins-dir", folder,
                         env={"CLEAN_CORPUS_TRACE": "1"})
    lines = [l for l in traced.stderr.splitlines() if l.startswith("clean-corpus trace:")]
    clean_call = next(l for l in lines if " clean <- " in l)
    names = clean_call.rstrip().removesuffix(" [hook]").split(" <- ")[1].split(", ")
    # third-party cleaners run after the ordinary built-ins, in their own order (only a
    # trylast built-in such as text_lines, which rejoins cut lines, comes after them)
    assert names.index("first_line") == names.index("drop_shouting") + 1
    assert names.index("drop_shouting") > names.index("title_standfirst")
    assert any("finish judge -->" in l for l in lines)
    assert all(len(l) < 1100 for l in lines)  # pages are not dumped whole
    quiet = builtin_cli("run", article, "-o", out, "-q", "--plugins-dir", folder)
    assert "trace" not in quiet.stderr
