"""A third-party plugin package, installed by pip, seen and driven through the real CLI.

The package (tests/plugin_package, distribution ``clean-corpus-marker``) declares three
plugins in the ``clean_corpus`` entry-point group: ``marker_lines`` (drops lines carrying a
marker, reports them in ``detections``), ``keep_first`` (keeps the first N blocks) and
``faults`` (disabled by default; used by test_accounting.py).
"""
from __future__ import annotations

import json

import pytest

from clean_corpus.plugins import BLOCK_ENTRY_POINTS_ENV as AUTOLOAD_ENV
from clean_corpus.testing import cli, read_jsonl

PACKAGE_PLUGINS = {"marker_lines", "keep_first", "faults"}

# Ordinary news prose; the marker sits inside sentences so that no built-in cleaner has a
# reason to touch these lines before the plugin under test does.
ARTICLE = """\
Le conseil municipal a voté mardi soir le budget primitif après trois heures de débat.
La majorité a défendu une hausse mesurée des investissements [AD] dans les écoles de la ville.
L'opposition a réclamé un audit indépendant des finances {{x}} avant la fin de l'année.
Le maire a rappelé que la dette par habitant avait baissé pour la quatrième année de suite.
Les travaux de rénovation du gymnase [AD] commenceront au printemps, selon l'adjoint aux sports.
"""
AD_LINES = [line for line in ARTICLE.splitlines() if "[AD]" in line]
X_LINE = next(line for line in ARTICLE.splitlines() if "{{x}}" in line)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "in" / "conseil municipal.txt"
    path.parent.mkdir()
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def clean_one(tmp_path, article, *args, env) -> dict:
    out = tmp_path / "out.jsonl"
    result = cli("run", article, "-o", out, "-q", *args, env=env)
    assert result.returncode == 0, result.stderr
    (record,) = read_jsonl(out)
    return record


def removed_by(record, *plugins) -> list[tuple[str, str]]:
    return [(r["plugin"], r["text"]) for r in record["removed"] if r["plugin"] in plugins]


def plugin_list(env, *args) -> dict[str, dict]:
    result = cli("plugins", "--json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return {info["name"]: info for info in json.loads(result.stdout)}


def test_installed_package_is_listed_with_source_version_and_hooks(plugin_env):
    infos = plugin_list(plugin_env)
    marker = infos["marker_lines"]
    assert marker["source"] == "package:clean-corpus-marker"
    assert marker["version"] == "1.2.0"
    assert {"clean", "detect"} <= set(marker["hooks"])
    assert marker["enabled"] is True
    assert infos["keep_first"]["source"] == "package:clean-corpus-marker"
    # A plugin shipped disabled is listed as such, with the hooks it would implement.
    assert infos["faults"]["enabled"] is False
    assert sorted(infos["faults"]["hooks"]) == [
        "clean", "configure", "corpus_ready", "detect", "judge", "register_readers",
        "register_writers", "run_end", "run_start", "screen"]
    # Built-ins are still there, marked as such.
    assert infos["trafilatura"]["source"] == "builtin"


def test_plain_listing_shows_the_package(plugin_env):
    result = cli("plugins", env=plugin_env)
    assert result.returncode == 0, result.stderr
    line = next(l for l in result.stdout.splitlines() if l.startswith("marker_lines "))
    assert "package:clean-corpus-marker" in line and "1.2.0" in line and "detect" in line


def test_plugin_runs_in_the_chain_and_records_its_removals(tmp_path, article, plugin_env):
    record = clean_one(tmp_path, article, env=plugin_env)
    assert removed_by(record, "marker_lines") == [("marker_lines", line) for line in AD_LINES]
    reasons = {r["reason"] for r in record["removed"] if r["plugin"] == "marker_lines"}
    assert reasons == {"line carries the marker '[AD]'"}
    assert "[AD]" not in record["text"]
    assert "{{x}}" in record["text"]  # another marker: not this plugin's business by default
    assert record["detections"]["marker_lines"] == {"marker": "[AD]", "lines": 2}


def test_options_come_from_the_config_file(tmp_path, article, plugin_env):
    config = tmp_path / "clean-corpus.toml"
    config.write_text('[plugin.marker_lines]\nmarker = "{{x}}"\n', encoding="utf-8")
    record = clean_one(tmp_path, article, "--config", config, env=plugin_env)
    assert removed_by(record, "marker_lines") == [("marker_lines", X_LINE)]
    assert record["detections"]["marker_lines"] == {"marker": "{{x}}", "lines": 1}
    assert "[AD]" in record["text"]
    # --set overrides the file.
    record = clean_one(tmp_path, article, "--config", config, "--set", "marker_lines.marker='[AD]'",
                       env=plugin_env)
    assert removed_by(record, "marker_lines") == [("marker_lines", line) for line in AD_LINES]


def test_order_from_cli_and_config_changes_the_result(tmp_path, article, plugin_env):
    config = tmp_path / "clean-corpus.toml"
    config.write_text("[plugin.keep_first]\nblocks = 2\n", encoding="utf-8")
    ads_first = clean_one(tmp_path, article, "--config", config,
                          "--order", "marker_lines,keep_first", env=plugin_env)
    keep_first = clean_one(tmp_path, article, "--config", config,
                           "--order", "keep_first,marker_lines", env=plugin_env)
    lines = ARTICLE.splitlines()
    # Marker lines out first, then the first two of the remaining lines are kept.
    assert removed_by(ads_first, "marker_lines", "keep_first") == [
        ("marker_lines", lines[1]), ("marker_lines", lines[4]), ("keep_first", lines[3])]
    assert lines[2] in ads_first["text"]
    # The first two lines kept first, then the marker line among them is dropped too.
    assert removed_by(keep_first, "marker_lines", "keep_first") == [
        ("keep_first", lines[2]), ("keep_first", lines[3]), ("keep_first", lines[4]),
        ("marker_lines", lines[1])]
    assert lines[2] not in keep_first["text"]

    config.write_text('[plugins]\norder = ["keep_first", "marker_lines"]\n'
                      "[plugin.keep_first]\nblocks = 2\n", encoding="utf-8")
    from_config = clean_one(tmp_path, article, "--config", config, env=plugin_env)
    assert from_config == keep_first


@pytest.mark.parametrize("how", ["cli", "config"])
def test_disabled_plugin_does_not_run(tmp_path, article, plugin_env, how):
    if how == "cli":
        args = ["--disable", "marker_lines"]
    else:
        config = tmp_path / "clean-corpus.toml"
        config.write_text('[plugins]\ndisable = ["marker_lines"]\n', encoding="utf-8")
        args = ["--config", config]
        listed = plugin_list(plugin_env, "--config", config)["marker_lines"]
        assert listed["enabled"] is False and listed["error"] == "disabled by configuration"
    record = clean_one(tmp_path, article, *args, env=plugin_env)
    assert removed_by(record, "marker_lines") == []
    assert "marker_lines" not in record["detections"]
    assert all(line in record["text"] for line in AD_LINES)


def test_autoload_switch_keeps_package_plugins_out(tmp_path, article, plugin_env):
    env = {**plugin_env, AUTOLOAD_ENV: "1"}
    assert not PACKAGE_PLUGINS & set(plugin_list(env))
    record = clean_one(tmp_path, article, env=env)
    assert removed_by(record, *PACKAGE_PLUGINS) == []
    assert "marker_lines" not in record["detections"]
    assert all(line in record["text"] for line in AD_LINES)
    # Naming a plugin that is not loaded is a usage error, not a silent no-op.
    result = cli("run", article, "-o", tmp_path / "x.jsonl", "--order", "marker_lines", env=env)
    assert result.returncode == 2
    assert "unknown plugin" in result.stderr and "marker_lines" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()
