"""A plugin that misbehaves on purpose, to show how clean-corpus contains failures.

Shipped disabled: switch it on with ``--enable faults``. Each option names a string; a
document whose text contains it triggers the fault:

- ``fail_on``: ``clean`` raises ``RuntimeError`` (the document fails, the run goes on);
- ``interrupt_on``: ``clean`` raises ``KeyboardInterrupt`` (the run stops, as on Ctrl-C);
- ``crash_on``: ``clean`` kills its own process with SIGKILL, as the kernel's out-of-memory
  killer would;
- ``hang_on``: ``clean`` blocks every signal and sleeps for minutes, as C code busy in a
  parser or a regex would (nothing but killing its process stops it);
- ``bad_result_on``: ``detect`` leaves what no record can hold: a set and NaN in its
  detections, an lxml element in its signatures (the document fails, blaming ``faults``);
- ``bad_reason_on``: ``screen`` returns a set, not a string, as its reason to drop it;
- ``unwritable_on``: ``clean`` leaves what no UTF-8 file can hold, a lone surrogate, in a
  block, and an object that is not a string as the URL;
- ``drop_on``: ``judge`` returns a reason to drop the document;
- ``judge_fail_on``: ``judge`` raises ``RuntimeError`` (the document fails after the
  corpus-level detectors have decided on it);
- ``fail_in``: hook names (``configure``, ``register_readers``, ``register_writers``,
  ``run_start``, ``corpus_ready``, ``run_end``) in which the plugin raises;
- ``pause_on``: ``judge`` creates the file ``pause_file`` and waits, so that a test can
  signal the process while it is writing its output;
- ``trace_file``: ``clean`` appends the name of every document it sees to this file, so
  that a test can tell which documents a run prepared.
"""
import os
import signal
import time
from pathlib import Path

import lxml.html

from clean_corpus import Plugin, hookimpl


def _text(document) -> str:
    return "\n".join(block.text for block in document.blocks)


class Faults(Plugin):
    """Raise or wait on documents that contain the configured strings."""

    name = "faults"
    enabled_by_default = False
    defaults = {"fail_on": "", "interrupt_on": "", "crash_on": "", "hang_on": "", "pause_on": "",
                "bad_result_on": "", "bad_reason_on": "", "unwritable_on": "", "drop_on": "", "judge_fail_on": "", "fail_in": [],
                "pause_file": "", "trace_file": ""}

    def _hit(self, option: str, document) -> bool:
        needle = self.options[option]
        return bool(needle) and needle in _text(document)

    @hookimpl
    def screen(self, document):
        if self.options["bad_reason_on"] and self.options["bad_reason_on"] in \
                (document.text or document.html or ""):
            return {"a set", "not a string"}
        return None

    @hookimpl
    def clean(self, document):
        if self._hit("unwritable_on", document):
            document.blocks[0].text += " \ud800"
            document.url = object()
        if self.options["trace_file"]:
            with open(self.options["trace_file"], "a", encoding="utf-8") as trace:
                trace.write(document.source + "\n")
        if self._hit("fail_on", document):
            raise RuntimeError(f"faults: refusing a document containing {self.options['fail_on']!r}")
        if self._hit("interrupt_on", document):
            raise KeyboardInterrupt
        if self._hit("crash_on", document):
            os.kill(os.getpid(), signal.SIGKILL)
        if self._hit("hang_on", document):
            signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
            time.sleep(300)

    def _fail_in(self, hook: str) -> None:
        if hook in self.options["fail_in"]:
            raise RuntimeError(f"faults: failing in {hook} on purpose")

    @hookimpl
    def configure(self, config):
        super().configure(config)
        self._fail_in("configure")

    @hookimpl
    def register_readers(self, register):
        self._fail_in("register_readers")

    @hookimpl
    def register_writers(self, register):
        self._fail_in("register_writers")

    @hookimpl
    def run_start(self, run):
        self._fail_in("run_start")

    @hookimpl
    def corpus_ready(self, run):
        self._fail_in("corpus_ready")

    @hookimpl
    def run_end(self, run, stats):
        self._fail_in("run_end")

    @hookimpl
    def detect(self, document):
        if self._hit("bad_result_on", document):
            document.detections[self.name] = {"tags": {"a", "b"}, "score": float("nan")}
            document.signatures[self.name] = lxml.html.fromstring("<p>x</p>")

    @hookimpl
    def judge(self, document):
        if self._hit("pause_on", document):
            Path(self.options["pause_file"]).touch()
            deadline = time.monotonic() + 120  # never hang a test run for ever
            while time.monotonic() < deadline:
                time.sleep(0.02)
        if self._hit("judge_fail_on", document):
            raise RuntimeError(f"faults: failing in judge on {self.options['judge_fail_on']!r}")
        if self._hit("drop_on", document):
            return f"faults: dropping a document containing {self.options['drop_on']!r}"
        return None
