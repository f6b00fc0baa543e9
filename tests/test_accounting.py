"""Isolation and accounting, through the CLI on real files.

One run mixes good inputs with every kind of bad one. The run must finish, every input
must end in exactly one place (output, rejected or failures) with a clear reason, the
counts must add up, and the exit status must say that some documents failed. An
interrupted run must never leave a truncated output file behind.
"""
from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from clean_corpus.testing import CLI, cli, cli_env, read_jsonl

ARTICLE_ONE = ("Le conseil régional a adopté jeudi un plan de rénovation des lycées.\n"
               "Les travaux commenceront à la rentrée et dureront trois ans, selon la présidente.\n")
ARTICLE_TWO = ("La compagnie de bus annonce une grève BOOM pour lundi prochain.\n"
               "Les syndicats demandent des embauches et une meilleure prise en compte de la pénibilité.\n")
LATIN1_TEXT = ("Le député a présenté un amendement très contesté à l'Assemblée nationale, "
               "où la séance s'est prolongée tard dans la soirée.\n"
               "Les élus de l'opposition ont dénoncé une procédure précipitée.\n")
JSONL_GOOD = [
    {"text": "Le musée municipal rouvre ses portes après deux ans de travaux. "
             "La collection de peinture flamande a été entièrement restaurée."},
    {"text": "Le club de football local a remporté la coupe régionale dimanche. "
             "Plus de trois mille supporters avaient fait le déplacement.",
     "url": "https://sport.example.org/coupe"},
    {"html": "<html><body><article><h1>Marché de Noël</h1><p>Le marché de Noël s'installe "
             "place de la mairie à partir du premier décembre, avec soixante exposants "
             "venus de toute la région et une patinoire pour les enfants.</p></article>"
             "</body></html>",
     "url": "https://ville.example.org/noel"},
]


def make_inputs(root: Path) -> dict[str, tuple[str, str]]:
    """Write every kind of input under ``root``; return source -> (status, what the report says)."""
    root.mkdir(parents=True)
    expected = {}

    def put(name: str, data: bytes, status: str, says: str) -> None:
        (root / name).write_bytes(data)
        expected[str(root / name)] = (status, says)

    put("article un.txt", ARTICLE_ONE.encode(), "written", "")
    put("article numéro deux.txt", ARTICLE_TWO.encode(), "failed", "RuntimeError: faults")
    put("latin1 Société.txt", LATIN1_TEXT.encode("latin-1"), "written", "")
    put("vide.txt", b"", "rejected", "empty input")
    put("énorme.txt", b"mot " * 2_700_000, "rejected", "input too large")
    rnd = random.Random(7)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(4000))
    put("photo copie.png", png, "failed", "binary content")
    put("données cassées.txt", bytes(rnd.randrange(0x80, 0x100) for _ in range(3000)),
        "failed", "not valid UTF-8")
    lines = [json.dumps(JSONL_GOOD[0]), '{"text": "une ligne coupée', json.dumps(JSONL_GOOD[1]),
             "[1, 2, 3]", "", json.dumps(JSONL_GOOD[2])]
    (root / "lot du jour.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for number, status, says in ((1, "written", ""), (2, "failed", "JSONDecodeError"),
                                 (3, "written", ""), (4, "failed", "not a JSON object"),
                                 (6, "written", "")):
        expected[f"{root / 'lot du jour.jsonl'}#L{number}"] = (status, says)
    return expected


@pytest.mark.parametrize("workers,separate_failures", [(1, False), (2, True)])
def test_bad_inputs_are_contained_and_accounted_for(tmp_path, plugin_env, workers,
                                                    separate_failures):
    inputs = tmp_path / "entrées été"
    expected = make_inputs(inputs)
    out = tmp_path / "sortie" / "records.jsonl"
    stats_path = tmp_path / "stats.json"
    args = ["run", inputs, "-o", out, "--stats", stats_path, "-j", workers,
            "--enable", "faults", "--set", "faults.fail_on=BOOM"]
    rejected = out.with_name("records.rejected.jsonl")
    failures = rejected
    if separate_failures:
        rejected, failures = tmp_path / "rejetés.jsonl", tmp_path / "échecs.jsonl"
        args += ["--rejected", rejected, "--failures", failures]
    result = cli(*args, env=plugin_env)

    assert result.returncode == 1, result.stderr  # some documents failed
    records = read_jsonl(out)
    reports = read_jsonl(rejected) + (read_jsonl(failures) if separate_failures else [])
    if separate_failures:
        assert {r["status"] for r in read_jsonl(rejected)} == {"rejected"}
        assert {r["status"] for r in read_jsonl(failures)} == {"failed"}

    # Every input in exactly one place, with the status and reason it deserves.
    seen = [r["source"] for r in records] + [r["source"] for r in reports]
    assert sorted(seen) == sorted(expected)
    for report in reports:
        status, says = expected[report["source"]]
        assert report["status"] == status, report
        detail = " ".join(report["reasons"]) if status == "rejected" else report["error"]
        assert says in detail, report
    for record in records:
        assert expected[record["source"]][0] == "written"

    failed = {r["source"]: r for r in reports if r["status"] == "failed"}
    assert failed[str(inputs / "article numéro deux.txt")]["plugin"] == "faults"
    assert failed[str(inputs / "photo copie.png")]["plugin"] == "text_reader"
    assert failed[f"{inputs / 'lot du jour.jsonl'}#L2"]["plugin"] == "jsonl_reader"

    # The counts add up, to the number of inputs.
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    statuses = [status for status, _ in expected.values()]
    assert stats["documents"] == len(expected) == 12
    assert stats["documents"] == stats["written"] + stats["rejected"] + stats["failed"]
    assert (stats["written"], stats["rejected"], stats["failed"]) == (
        statuses.count("written"), statuses.count("rejected"), statuses.count("failed"))
    assert stats["failed_plugins"] == {"faults": 1, "jsonl_reader": 2, "text_reader": 2}
    assert "12 documents: 5 written, 2 rejected, 5 failed" in result.stderr

    # Nothing else is lost: the good documents keep their text.
    by_source = {r["source"]: r for r in records}
    assert "plan de rénovation des lycées" in by_source[str(inputs / "article un.txt")]["text"]
    noel = by_source[f"{inputs / 'lot du jour.jsonl'}#L6"]
    assert "soixante exposants" in noel["text"] and noel["url"] == "https://ville.example.org/noel"

    # The latin-1 file is decoded, and the encoding it was read with is reported.
    latin = by_source[str(inputs / "latin1 Société.txt")]
    encoding = latin["detections"]["encoding"]
    assert encoding["detected"] is True
    assert LATIN1_TEXT.encode("latin-1").decode(encoding["encoding"]) == LATIN1_TEXT
    assert "Le député a présenté un amendement très contesté" in latin["text"]


def test_clean_run_exits_zero_and_rejections_alone_are_not_failures(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    (tmp_path / "in" / "vide.txt").write_text("  \n\n", encoding="utf-8")
    result = cli("run", tmp_path / "in", "-o", tmp_path / "out.jsonl", "--stats",
                 tmp_path / "stats.json")
    assert result.returncode == 0, result.stderr
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert (stats["documents"], stats["written"], stats["rejected"], stats["failed"]) == (2, 1, 1, 0)


def test_missing_input_is_a_usage_error(tmp_path):
    result = cli("run", tmp_path / "nowhere", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_misspelt_config_key_is_a_usage_error_not_ignored(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    config = tmp_path / "clean-corpus.toml"
    config.write_text('[plugins]\ndisabled = ["empty_text"]\n', encoding="utf-8")
    result = cli("run", tmp_path / "a.txt", "-o", tmp_path / "out.jsonl", "--config", config)
    assert result.returncode == 2
    assert "unknown key(s) ['disabled'] in [plugins]" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


# ------------------------------------------------------------------ interrupted runs
OLD_OUTPUT = '{"previous": "run"}\n'


def interrupted_inputs(tmp_path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(1, 9):
        (inputs / f"d{number}.txt").write_text(
            f"Dépêche numéro {number} : le conseil municipal a voté le budget de la ville.\n"
            "La séance a duré trois heures et le vote a été acquis à une large majorité.\n",
            encoding="utf-8")
    return inputs


def assert_nothing_written(out_dir: Path, out: Path) -> None:
    assert out.read_text(encoding="utf-8") == OLD_OUTPUT  # previous output untouched
    leftovers = sorted(p.name for p in out_dir.iterdir() if p != out)
    # no partial files, no rejected file, no stats: only the run's saved state, which the
    # same command goes on from (tests/test_resume.py)
    assert leftovers == [f"{out.name}.unfinished"], leftovers


@pytest.mark.parametrize("workers", [1, 2])
def test_plugin_interrupt_leaves_previous_output_untouched(tmp_path, plugin_env, workers):
    inputs = interrupted_inputs(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "records.jsonl"
    out.write_text(OLD_OUTPUT, encoding="utf-8")
    result = cli("run", inputs, "-o", out, "--stats", out_dir / "stats.json", "-j", workers,
                 "--enable", "faults", "--set", "faults.interrupt_on='numéro 6'", env=plugin_env)
    assert result.returncode == 130
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    assert_nothing_written(out_dir, out)


@pytest.mark.parametrize("workers", [1, 2])
def test_worker_killed_outright_fails_its_document_and_the_run_goes_on(tmp_path, plugin_env,
                                                                       workers):
    # The kernel's out-of-memory killer, or a crash in C code, takes the worker and the
    # document it held: that document fails with the reason, a new worker takes the rest.
    inputs = interrupted_inputs(tmp_path)
    out = tmp_path / "out" / "records.jsonl"
    result = cli("run", inputs, "-o", out, "-j", workers, "--enable", "faults",
                 "--disable", "duplicates", "--set", "faults.crash_on='numéro 3'",
                 env=plugin_env, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    written = sorted(Path(r["source"]).name for r in read_jsonl(out))
    assert written == [f"d{n}.txt" for n in range(1, 9) if n != 3]
    [failure] = read_jsonl(out.with_name("records.rejected.jsonl"))
    assert Path(failure["source"]).name == "d3.txt"
    assert "worker process died" in failure["error"]


@pytest.mark.parametrize("workers", [1, 2])
def test_document_over_the_time_limit_fails_and_the_run_goes_on(tmp_path, plugin_env, workers):
    # The faults plugin blocks every signal and sleeps, as C code stuck in a parser or a
    # regex would: only killing its worker stops it, with -j 1 as with -j 2.
    inputs = interrupted_inputs(tmp_path)
    out = tmp_path / "out" / "records.jsonl"
    stats_path = tmp_path / "out" / "stats.json"
    result = cli("run", inputs, "-o", out, "-j", workers, "--timeout", "2", "--stats",
                 stats_path, "--enable", "faults", "--disable", "duplicates",
                 "--set", "faults.hang_on='numéro 5'", env=plugin_env, timeout=100)
    assert result.returncode == 1, result.stderr
    written = sorted(Path(r["source"]).name for r in read_jsonl(out))
    assert written == [f"d{n}.txt" for n in range(1, 9) if n != 5]
    [failure] = read_jsonl(out.with_name("records.rejected.jsonl"))
    assert Path(failure["source"]).name == "d5.txt"
    assert failure["plugin"] == "faults"
    assert "limit of 2 s per document" in failure["error"]
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert (stats["documents"], stats["written"], stats["failed"]) == (8, 7, 1)


def one_line_text(path: Path, characters: int) -> None:
    """A page scraped onto one line: sentences of the words of the test texts, in a seeded
    random order, on a single line of about ``characters``."""
    import re

    from conftest import FIXTURES, REPO

    sources = [*sorted((REPO / "tests/data/boilerplate/text/flat").glob("*.txt")),
               *sorted((FIXTURES / "seeds").glob("*.txt"))]
    words = [w for p in sources for w in re.findall(r"\w+", p.read_text(encoding="utf-8"))]
    rnd = random.Random(5)
    sentences, size = [], 0
    while size < characters:
        sentence = " ".join(rnd.choice(words) for _ in range(rnd.randint(8, 24)))
        sentences.append(sentence.capitalize() + ".")
        size += len(sentences[-1]) + 1
    path.write_text(" ".join(sentences) + "\n", encoding="utf-8")


def test_long_one_line_text_within_the_size_limit_is_not_failed_by_the_default_limit(tmp_path):
    """The default limit was a flat 10 s, and a page scraped onto one line costs the chain
    4 to 11 s per million characters: every such text over about 2 million characters,
    well inside the 10 MiB size limit, failed. The default limit now grows with the
    document (10 s and 20 s per million characters); a limit given with --timeout stays
    as given."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    one_line_text(inputs / "page.txt", 4_000_000)
    out = tmp_path / "out.jsonl"
    result = cli("run", inputs, "-o", out, "--disable", "duplicates", timeout=600)
    assert result.returncode == 0, result.stderr
    [record] = read_jsonl(out)
    assert Path(record["source"]).name == "page.txt" and record["text"]
    result = cli("run", inputs, "-o", out, "--disable", "duplicates", "--timeout", "3",
                 timeout=600)
    assert result.returncode == 1, result.stderr
    [failure] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert failure["error"].startswith("TimeLimit: cleaning took longer than the limit of 3 s "
                                       "per document (--timeout)")


@pytest.mark.parametrize("sig,workers,code", [
    (signal.SIGINT, 1, 130), (signal.SIGTERM, 1, 143), (signal.SIGTERM, 2, 143),
    (signal.SIGKILL, 1, -signal.SIGKILL)])
def test_run_killed_while_writing_leaves_no_truncated_output(tmp_path, plugin_env, sig,
                                                             workers, code):
    inputs = interrupted_inputs(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "records.jsonl"
    out.write_text(OLD_OUTPUT, encoding="utf-8")
    paused = tmp_path / "paused"
    # The faults plugin stops in `judge` on the 6th document: records 1-5 have been
    # written to the temporary output by then.
    proc = subprocess.Popen(
        [str(CLI), "run", str(inputs), "-o", str(out), "-j", str(workers), "--no-progress",
         "--enable", "faults", "--set", "faults.pause_on='numéro 6'",
         "--set", f"faults.pause_file='{paused}'"],
        env=cli_env(plugin_env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell starts background jobs with Ctrl-C ignored, and children inherit that:
        # give the CLI the default disposition a user's terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        while not paused.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert paused.exists(), proc.communicate()[1] if proc.poll() is not None else "no pause"
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, stderr
    assert out.read_text(encoding="utf-8") == OLD_OUTPUT
    if sig != signal.SIGKILL:  # SIGKILL cannot be caught: a hidden .partial file may remain
        assert_nothing_written(out_dir, out)
        assert "Traceback" not in stderr


def test_file_no_reader_claims_is_reported_as_failed_not_a_crash(tmp_path):
    # With the fallback reader disabled, a .rst file has no reader: it must land in the
    # failures file and the run must go on with the other files.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.rst").write_text(ARTICLE_ONE, encoding="utf-8")
    (tmp_path / "in" / "page.html").write_text(
        "<html><body><article><p>" + ARTICLE_TWO + "</p></article></body></html>",
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = cli("run", tmp_path / "in", "-o", out, "--disable", "text_reader",
                 "--stats", tmp_path / "stats.json")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert [r["source"] for r in read_jsonl(out)] == [str(tmp_path / "in" / "page.html")]
    [failure] = read_jsonl(tmp_path / "out.rejected.jsonl")
    assert failure["source"] == str(tmp_path / "in" / "notes.rst")
    assert failure["status"] == "failed" and "no reader for files ending in '.rst'" in failure["error"]
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert (stats["documents"], stats["written"], stats["failed"]) == (2, 1, 1)


@pytest.mark.parametrize("clash", [["--rejected", "{out}"], ["--failures", "{out}"],
                                   ["--stats", "{dir}/sub/../out.rejected.jsonl"]])
def test_two_run_files_on_one_path_is_a_usage_error(tmp_path, clash):
    # Each file is renamed into place when the run ends: sharing a path, the last one
    # would replace the other and its records would be lost while the run says "written".
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    (tmp_path / "vide.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    option, value = clash[0], clash[1].format(out=out, dir=tmp_path)
    result = cli("run", tmp_path / "a.txt", tmp_path / "vide.txt", "-o", out, option, value)
    assert result.returncode == 2, result.stderr
    assert "name the same file" in result.stderr
    assert not out.exists()


def test_rejected_and_failures_spelt_differently_share_one_file(tmp_path, plugin_env):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE_TWO, encoding="utf-8")  # fails on BOOM
    (tmp_path / "vide.txt").write_text("", encoding="utf-8")         # rejected
    reports = tmp_path / "reports.jsonl"
    result = cli("run", tmp_path / "a.txt", tmp_path / "vide.txt", "-o", tmp_path / "out.jsonl",
                 "--rejected", reports, "--failures", tmp_path / "sub" / ".." / "reports.jsonl",
                 "--enable", "faults", "--set", "faults.fail_on=BOOM", env=plugin_env)
    assert result.returncode == 1, result.stderr
    assert sorted(r["status"] for r in read_jsonl(reports)) == ["failed", "rejected"]


@pytest.mark.parametrize("run_table,says", [
    ('workers = "two"', "[run] workers must be a whole number of at least 1, got 'two'"),
    ("workers = 0", "[run] workers must be a whole number of at least 1, got 0"),
    ("max_bytes = -5", "[run] max_bytes must be a whole number of at least 1, got -5")])
def test_bad_run_setting_in_config_is_a_usage_error(tmp_path, run_table, says):
    (tmp_path / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    config = tmp_path / "clean-corpus.toml"
    config.write_text(f"[run]\n{run_table}\n", encoding="utf-8")
    result = cli("run", tmp_path / "a.txt", "-o", tmp_path / "out.jsonl", "--config", config)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_zero_workers_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    result = cli("run", tmp_path / "a.txt", "-o", tmp_path / "out.jsonl", "-j", 0)
    assert result.returncode == 2, result.stderr
    assert "--workers must be at least 1" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_more_workers_than_the_limit_are_cut_to_it_with_a_note(tmp_path):
    """``-j`` had no upper bound: ``-j 100000`` tried to start that many processes. Past
    four per processor the run goes on with that many, says so, and writes what ``-j 1``
    writes; ``[run] workers`` in a config file the same."""
    from clean_corpus.config import Config
    from clean_corpus.workers import WORKERS_PER_CPU, WorkerPool, max_workers

    limit = max_workers()
    assert WorkerPool(Config(), 10 ** 6).size == limit  # nothing started yet
    (tmp_path / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE_TWO, encoding="utf-8")
    config = tmp_path / "clean-corpus.toml"
    config.write_text(f"[run]\nworkers = {limit + 1}\n", encoding="utf-8")
    outputs = {}
    for name, options in (("one", ["-j", 1]), ("many", ["-j", limit + 1]),
                          ("config", ["--config", config])):
        out = tmp_path / f"{name}.jsonl"
        result = cli("run", tmp_path / "a.txt", tmp_path / "b.txt", "-o", out, *options)
        assert result.returncode == 0, result.stderr
        note = (f"{limit + 1} worker processes asked for; running {limit}, "
                f"{WORKERS_PER_CPU} per processor")
        assert (note in result.stderr) == (name != "one"), result.stderr
        outputs[name] = out.read_bytes()
    assert outputs["many"] == outputs["config"] == outputs["one"]


def test_other_output_format_leaves_only_its_files(tmp_path):
    # With a --format writer other than jsonl, records go through it and reports through
    # the JSON Lines writer; no stray hidden .partial file may be left behind.
    from clean_corpus.cli import Sinks
    from clean_corpus.document import Document
    from clean_corpus.pipeline import REJECTED, WRITTEN, Outcome
    from clean_corpus_plugins.writers import AtomicJsonlFile

    class TextLines(AtomicJsonlFile):
        def write(self, record):
            self._fh.write(record["text"] + "\n")

    out, rejected = tmp_path / "out.txt", tmp_path / "out.rejected.jsonl"
    sinks = Sinks(TextLines, AtomicJsonlFile, out, rejected, rejected)
    sinks(Outcome(WRITTEN, "a.txt", Document(source="a.txt", text="x")))
    sinks(Outcome(REJECTED, "b.txt", Document(source="b.txt"), reasons=["empty input"]))
    sinks.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.rejected.jsonl", "out.txt"]
    assert [r["status"] for r in read_jsonl(rejected)] == ["rejected"]


def test_slow_document_holding_back_many_finished_ones_does_not_stall_the_run(tmp_path,
                                                                             plugin_env):
    # While the first document runs into the limit, the other worker finishes more documents
    # than the pool keeps waiting for it (64 per worker); the run must go on once it is stopped.
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(1, 161):
        (inputs / f"d{number:03d}.txt").write_text(
            f"Dépêche numéro {number} : le conseil municipal a voté le budget de la ville.\n",
            encoding="utf-8")
    out = tmp_path / "out" / "records.jsonl"
    result = cli("run", inputs, "-o", out, "-j", 2, "--timeout", "2", "--enable", "faults",
                 "--disable", "duplicates", "--set", "faults.hang_on='numéro 1 '",
                 env=plugin_env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert len(read_jsonl(out)) == 159
    [failure] = read_jsonl(out.with_name("records.rejected.jsonl"))
    assert Path(failure["source"]).name == "d001.txt" and "TimeLimit" in failure["error"]


@pytest.mark.parametrize("content,says", [
    (b"\xff\xfe[\x00r\x00u\x00n\x00]\x00", "is not UTF-8 text"),
    (b"run = 3\n", "[run] must be a table"),
    (b"plugins = [1]\n", "[plugins] must be a table"),
    (b"plugin = 3\n", "[plugin] must be a table of [plugin.NAME] tables"),
    (b"[run]\nmax_bytes = 99999999999999999999\n", "[run] max_bytes must be at most")])
def test_config_file_of_the_wrong_shape_is_a_usage_error_not_a_traceback(tmp_path, content,
                                                                         says):
    (tmp_path / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    config = tmp_path / "clean-corpus.toml"
    config.write_bytes(content)
    result = cli("run", tmp_path / "a.txt", "-o", tmp_path / "out.jsonl", "--config", config)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize("how", [("--timeout", "inf"), ("--timeout", "1e308"),
                                 ("--config", "timeout = inf")])
def test_timeout_without_end_means_no_limit(tmp_path, how):
    """An infinite (or astronomically large) limit used to stop the run with a traceback
    (the wait for the workers could not take it) and leave its unfinished state behind."""
    (tmp_path / "a.txt").write_text(ARTICLE_ONE, encoding="utf-8")
    option, value = how
    if option == "--config":
        config = tmp_path / "clean-corpus.toml"
        config.write_text(f"[run]\n{value}\n", encoding="utf-8")
        value = config
    out = tmp_path / "out.jsonl"
    result = cli("run", tmp_path / "a.txt", "-o", out, option, value)
    assert result.returncode == 0, result.stderr
    assert [Path(r["source"]).name for r in read_jsonl(out)] == ["a.txt"]
