"""Whether the shipped model files are what their training commands write today.

    python bench/shipped_models.py [--data ../shared] [--only text,html,...] [--keep DIR]

Runs each model's training command as docs/classifier.md gives it (seed 0) into a
temporary folder (or ``--keep DIR``) and compares the file it writes with the one in
``plugins/boilerplate`` byte for byte. A change to the extraction, the features or the
labels that moves a model's training data leaves the shipped file stale: the model still
loads and its ``trained.check`` test may pass, but retraining gives another file. Prints
one line per file, ``same`` or ``differs``, and exits 1 if any differs. Needs the
``train`` extra; the text model takes 5 to 20 minutes, the others a few each.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "plugins" / "boilerplate"

#: model -> (training module, its arguments beyond --data, the files it writes)
COMMANDS = {
    "text": ("train", ["--seed", "0", "--out", "{out}/model-text.json"], ["model-text.json"]),
    "html": ("train_html", ["--seed", "0", "--out-dir", "{out}"],
             ["model-html.json", "model-page-type.json"]),
    "boundaries": ("train_boundaries", ["--seed", "0", "--out", "{out}/model-boundaries.json"],
                   ["model-boundaries.json"]),
    "text-page-type": ("train_text_page_type",
                       ["--seed", "0", "--out", "{out}/model-text-page-type.json"],
                       ["model-text-page-type.json"]),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared"))
    ap.add_argument("--only", default=",".join(COMMANDS), help="comma-separated: "
                    + ", ".join(COMMANDS))
    ap.add_argument("--keep", type=Path, help="write the retrained files here and keep them")
    args = ap.parse_args(argv)
    unknown = set(args.only.split(",")) - set(COMMANDS)
    if unknown:
        ap.error(f"unknown models: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as scratch:
        out = args.keep or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        stale = 0
        for name in args.only.split(","):
            module, extra, files = COMMANDS[name]
            start = time.monotonic()
            done = subprocess.run([sys.executable, "-m", f"clean_corpus_plugins.boilerplate.{module}",
                                   "--data", str(args.data), *(a.format(out=out) for a in extra)],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{name}: the training command failed:\n{done.stderr[-2000:]}")
                return 2
            for file in files:
                same = (out / file).read_bytes() == (HERE / file).read_bytes()
                stale += not same
                print(f"{file:28} {'same' if same else 'differs'}  "
                      f"({time.monotonic() - start:.0f} s)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
