"""Site boilerplate learned from the corpus, through the command line: a generated site of
50 pages sharing a header, a comment prompt and a footer around different articles loses
the shared lines and keeps every article sentence; the saved profile lists what was learned,
and a later run that loads the (edited) profile removes what it lists."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from clean_corpus.testing import builtin_cli, read_jsonl

HEADER = ["Le Petit Écho de la Vallée, quotidien régional indépendant depuis 1921",
          "Édition du soir : toute l'actualité du Haut-Jura et de ses villages"]
PROMPT = "Une remarque sur cet article ? Écrivez à la rédaction du Petit Écho, nous lisons tout."
FOOTER = ["Le Petit Écho de la Vallée est édité par la coopérative des lecteurs du Haut-Jura.",
          "Tous nos articles sont écrits par notre équipe de correspondants locaux."]
SHARED = [*HEADER, PROMPT, *FOOTER]

SUBJECTS = ["Le maire", "La directrice de l'école", "Le club de football", "Une habitante",
            "Le syndicat des eaux", "La fromagerie", "Le conseil départemental",
            "Un agriculteur", "La bibliothèque", "Le comité des fêtes"]
VERBS = ["a présenté", "a annoncé", "prépare", "a inauguré", "réclame", "organise",
         "a financé", "conteste", "a reporté", "soutient"]
OBJECTS = ["un projet de piste cyclable", "la rénovation du lavoir", "une collecte de vêtements",
           "le marché de producteurs", "la fermeture de la classe unique",
           "un concours de photographie", "la réfection du pont", "un festival de musique",
           "le plan de déneigement", "une exposition sur les sabotiers"]
PLACES = ["à Morbier", "aux Rousses", "à Bellefontaine", "à Longchaumois", "à Foncine",
          "à Septmoncel", "aux Bouchoux", "à Prémanon", "à Lamoura", "à Bois-d'Amont"]
CIRCUMSTANCES = ["devant une cinquantaine de personnes", "malgré la neige",
                 "après deux ans de discussions", "avec l'appui de la région",
                 "sans consulter les riverains", "pour la troisième année"]


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(PLACES)} {rng.choice(CIRCUMSTANCES)}, le {rng.randint(1, 28)} "
            f"{rng.choice(['mars', 'avril', 'mai', 'juin'])} {rng.randint(2015, 2024)}.")


def article(number: int) -> tuple[str, list[str]]:
    rng = random.Random(number)
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)}"
    return title, [" ".join(sentence(rng) for _ in range(3)) for _ in range(4)]






@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, Path, dict[str, list[str]]]:
    """50 pages of one site (one folder), and 3 pages of another that quote its header."""
    root = tmp_path_factory.mktemp("sites")
    main, small = root / "petit-echo", root / "blog"
    main.mkdir()
    small.mkdir()
    paragraphs = {}
    for number in range(50):
        title, paras = article(number)
        name = f"page-{number:02d}.txt"
        lines = [*HEADER, title, *paras[:2], PROMPT, *paras[2:], *FOOTER]
        (main / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        paragraphs[name] = paras
    for number in range(3):
        title, paras = article(100 + number)
        name = f"blog-{number}.txt"
        lines = [title, paras[0], HEADER[0], *paras[1:]]
        (small / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        paragraphs[name] = paras
    return main, small, paragraphs


@pytest.fixture(scope="module")
def learned(site, tmp_path_factory):
    main, small, _ = site
    out_dir = tmp_path_factory.mktemp("out")
    profiles = out_dir / "profiles"
    out = out_dir / "records.jsonl"
    # What the site repeats is learned here from the lines themselves: the text classifier,
    # which would take most of the header and footer first, is left out.
    builtin_cli("run", main, small, "-o", out, "-q", "--disable", "text_classifier",
            "--set", f'site_boilerplate.profile_dir="{profiles}"')
    return {Path(r["source"]).name: r for r in read_jsonl(out)}, profiles


def test_shared_lines_go_and_every_article_sentence_stays(site, learned):
    main, _, paragraphs = site
    records, _ = learned
    assert len(records) == 53
    for name, record in records.items():
        if not name.startswith("page-"):
            continue
        for line in SHARED:
            assert line not in record["text"], (name, line)
        for paragraph in paragraphs[name]:
            assert paragraph in record["text"], (name, paragraph)
        removed = [r for r in record["removed"] if r["plugin"] == "site_boilerplate"]
        assert {r["text"] for r in removed} == set(SHARED)
        assert all(r["reason"] == "site boilerplate: in 50 of 50 documents of the site"
                   for r in removed)
        assert record["detections"]["site_boilerplate"]["lines"] == len(SHARED)


def test_sites_are_learned_apart(learned, site):
    records, _ = learned
    _, _, paragraphs = site
    # The small site quotes the big site's header on its 3 pages: too few to learn from,
    # and what the big site taught applies to the big site only.
    for number in range(3):
        record = records[f"blog-{number}.txt"]
        assert HEADER[0] in record["text"]
        assert all(p in record["text"] for p in paragraphs[f"blog-{number}.txt"])


def test_profile_lists_what_was_learned(learned, site):
    main, _, _ = site
    _, profiles = learned
    files = sorted(profiles.glob("*.json"))
    assert len(files) == 1  # the small site learned nothing
    profile = json.loads(files[0].read_text(encoding="utf-8"))
    assert profile["site"] == str(main)
    assert profile["documents"] == 50
    assert sorted(line["text"] for line in profile["lines"]) == sorted(SHARED)
    assert all(line["documents"] == 50 and line["share"] == 1.0 for line in profile["lines"])


def test_second_run_applies_the_edited_profile(site, learned, tmp_path):
    main, _, paragraphs = site
    _, profiles = learned
    edited = tmp_path / "profiles"
    edited.mkdir()
    source = next(profiles.glob("*.json"))
    profile = json.loads(source.read_text(encoding="utf-8"))
    # The user decides the comment prompt is content after all.
    profile["lines"] = [line for line in profile["lines"] if line["text"] != PROMPT]
    (edited / source.name).write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")

    # Learning off: whatever goes now goes because the profile says so.
    out = tmp_path / "again.jsonl"
    builtin_cli("run", main, "-o", out, "-q", "--disable", "text_classifier", "--set", f'site_boilerplate.profile_dir="{edited}"',
            "--set", "site_boilerplate.load_profiles=true", "--set", "site_boilerplate.learn=false")
    records = read_jsonl(out)
    assert len(records) == 50
    for record in records:
        assert PROMPT in record["text"]
        for line in (*HEADER, *FOOTER):
            assert line not in record["text"]
        assert all(p in record["text"] for p in paragraphs[Path(record["source"]).name])
        reasons = {r["reason"] for r in record["removed"] if r["plugin"] == "site_boilerplate"}
        assert reasons == {"site boilerplate: listed in the site's profile"}
    # The profile saved again holds what was loaded.
    saved = json.loads((edited / source.name).read_text(encoding="utf-8"))
    assert sorted(line["text"] for line in saved["lines"]) == sorted([*HEADER, *FOOTER])


def test_annotate_policy_counts_without_removing(site, tmp_path):
    main, _, _ = site
    out = tmp_path / "annotated.jsonl"
    builtin_cli("run", main, "-o", out, "-q", "--disable", "text_classifier", "--set", "site_boilerplate.policy=annotate")
    for record in read_jsonl(out):
        assert all(line in record["text"] for line in SHARED)
        assert record["detections"]["site_boilerplate"]["lines"] == len(SHARED)
