"""Which language a record is in: py3langid on a sample by default, langdetect as an option.

Both plugins annotate the same thing, ``detections["language"] = {"lang", "prob",
"backend"}``, and set the record's ``language`` field; the user picks langdetect with
``[plugins] disable = ["language"]  enable = ["language_langdetect"]`` (or
``--disable language --enable language_langdetect``).
"""
from __future__ import annotations

import lzma
import os
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from clean_corpus import hookimpl
from clean_corpus_plugins.detectors.base import Detector

UNDETERMINED = "und"


@lru_cache(maxsize=8)
def _letters(count: int) -> re.Pattern:
    # possessive: the letters and what lies between them never give back what they took
    return re.compile(r"(?:[\W\d_]*+[^\W\d_]){%d}" % count)


def has_letters(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` letters (read only as far as they go)."""
    return count <= 0 or _letters(count).match(text) is not None


@lru_cache(maxsize=1)
def _langdetect_factory():
    """langdetect's profiles, loaded once per process in a fixed (sorted) order.

    langdetect's own loader lists the profile folder in file-system order and keeps a
    process-wide factory whose seed is unset, so two runs can disagree on a close call.
    Here the order is sorted and the seed fixed: every detection replays the same draws.
    """
    from langdetect import detector_factory

    factory = detector_factory.DetectorFactory()
    folder = Path(detector_factory.PROFILES_DIRECTORY)
    profiles = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
                if p.is_file() and not p.name.startswith(".")]
    factory.load_json_profile(profiles)
    factory.set_seed(0)
    return factory


#: py3langid's model arrays, and those of them its identifier walks one item at a time
#: (read through a memory view: Python integers, as fast as the lists it makes of them).
_MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _model_cache() -> Path:
    """Where py3langid's model is kept decompressed (a folder of ``.npy`` files), per
    py3langid version."""
    from importlib.metadata import version

    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "clean-corpus" / f"py3langid-{version('py3langid')}-model"


def _identifier_from(arrays):
    from py3langid import langid

    return langid.LanguageIdentifier(
        arrays["ptc"], np.asarray(arrays["pc"]), arrays["classes"].tolist(),
        memoryview(arrays["nextmove"]), memoryview(arrays["out_feat"]),
        norm_probs=True, tk_row=np.asarray(arrays["nextmove_row"]).tolist())


def _write_model_cache(arrays, cache: Path) -> None:
    """The arrays saved as ``.npy`` files, the folder renamed into place (a process
    reading it sees all of it or nothing; a folder that cannot be written is no error)."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=cache.parent, prefix=f".{cache.name}-"))
    except OSError:
        return
    try:
        for name in _MODEL_ARRAYS:
            np.save(folder / f"{name}.npy", arrays[name], allow_pickle=False)
        os.replace(folder, cache)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


@lru_cache(maxsize=1)
def _py3langid_identifier():
    """py3langid's identifier, its model mapped from a decompressed copy when there is one.

    The model ships xz-compressed, and decompressing it costs each process about half a
    second of CPU, more than the rest of the start-up; the first process keeps the arrays
    decompressed in the user's cache folder, and every process maps them into memory
    (workers share the pages; a page is read when a text needs it).
    """
    from py3langid import langid

    cache = _model_cache()
    try:
        return _identifier_from({name: np.load(cache / f"{name}.npy", mmap_mode="r",
                                               allow_pickle=False)
                                 for name in _MODEL_ARRAYS})
    except Exception:  # no copy yet, or one this py3langid cannot read: the shipped model
        pass
    with tempfile.TemporaryFile(suffix=".npz") as npz:
        with lzma.open(langid.MODEL_DIR / langid.MODEL_FILE) as model:
            shutil.copyfileobj(model, npz, length=1 << 20)
        npz.seek(0)
        with np.load(npz, allow_pickle=False) as data:
            arrays = {name: data[name] for name in _MODEL_ARRAYS}
    _write_model_cache(arrays, cache)
    return _identifier_from(arrays)


class LanguageDetector(Detector):
    """The language of the record's text, with py3langid on a sample of it.

    The sample is the title and the cleaned blocks, the first ``max_chars`` characters:
    a page says which language it is in long before its end, and py3langid's cost grows
    with the text (it is deterministic: no random draws). Text with fewer than
    ``min_letters`` letters is too short to tell and gets ``und`` rather than a guess; so
    does a best guess below ``min_prob``. With ``policy = "drop"`` documents whose
    language is not in ``keep`` are dropped (``und`` included); an empty ``keep`` drops
    only ``und``.
    """

    name = "language"
    backend = "py3langid"
    defaults = {"policy": "annotate", "keep": [], "min_letters": 40, "min_prob": 0.5,
                "max_chars": 3000}

    def text_of(self, document) -> str:
        """The title and the record's text (as ``clean_text`` joins it), cut at ``max_chars``."""
        limit = int(self.options["max_chars"])
        body, size = [], 0
        for block in document.blocks:  # a whole page need not be joined for its first lines
            if size >= limit:
                break
            if block.text:
                body.append(block.text)
                size += len(block.text) + 2
        parts = [document.meta.get("title") or "", "\n\n".join(body)]
        return "\n".join(p for p in parts if p)[:limit]

    def identify(self, text: str) -> tuple[str, float]:
        lang, prob = _py3langid_identifier().classify(text)
        return lang, prob
    @hookimpl
    def detect(self, document):
        text = self.text_of(document)
        lang, prob = UNDETERMINED, 0.0
        if has_letters(text, int(self.options["min_letters"])):
            lang, prob = self.identify(text)
            if prob < float(self.options["min_prob"]):
                lang = UNDETERMINED
        document.detections["language"] = {"lang": lang, "prob": round(float(prob), 4),
                                           "backend": self.backend}
        document.meta["language"] = lang

    def verdict(self, document):
        lang = document.detections.get("language", {}).get("lang", UNDETERMINED)
        keep = self.options["keep"]
        keep = [keep] if isinstance(keep, str) else list(keep)  # --set language.keep=fr
        if lang == UNDETERMINED:
            return "language undetermined (text too short or too mixed to tell)"
        if keep and lang not in keep and lang.split("-")[0] not in keep:
            return f"language {lang} not in keep {keep}"
        return None


class LangdetectDetector(LanguageDetector):
    """The same detection with langdetect, seeded to be deterministic (5000 characters).

    Disabled by default; switch backends with ``--disable language --enable
    language_langdetect``. Same options and same annotation as ``language``.
    """

    name = "language_langdetect"
    backend = "langdetect"
    enabled_by_default = False
    defaults = {**LanguageDetector.defaults, "max_chars": 5000}

    def identify(self, text: str) -> tuple[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = _langdetect_factory().create()
        detector.append(text)
        try:
            best = detector.get_probabilities()
        except LangDetectException:  # no letters it knows: nothing to tell from
            return UNDETERMINED, 0.0
        return (best[0].lang, best[0].prob) if best else (UNDETERMINED, 0.0)
