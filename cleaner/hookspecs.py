"""Every hook clean-corpus calls, declared and documented in one place.

A document travels through the hooks in this order::

    configure                                once per process, with the run's Config
    register_readers / register_writers      in the main process, when inputs are opened
                                             and when records are written
    run_start                                once per run, in the main process
    for each document (clean-corpus run: in worker processes, one with -j 1 too):
        screen           cheap checks on the raw input (size, emptiness): reasons to drop
        extract          text blocks and metadata of a page or a text (first result wins)
        clean            the ordered chain of cleaners; each records what it removed
        detect           per-document detectors annotate ``document.detections``
    for each document, in input order, in the main process:
        observe          corpus-level detectors take what they need (hashes, line counts)
    corpus_ready         corpus-level detectors decide (clusters, site profiles)
    for each document, in input order, in the main process:
        hold             a plugin may ask to decide this one after the others
        revise           corpus-level detectors annotate or remove what they learned
        judge            any plugin may say why the document must be dropped
        settled          every plugin hears how the document ended
    the documents held back, in input order, the same way
    run_end              once per run, with the final counts

Built-in behaviour is implemented by ordinary plugins on these same hooks (see
``clean_corpus.plugins.BUILTIN_PLUGINS``); a third-party plugin can run before or after
them with ``tryfirst``/``trylast``, replace the extractor by returning a result first, or
be ordered explicitly by the user's configuration.
"""
from __future__ import annotations

import pluggy

from clean_corpus import PROJECT_NAME

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def register_readers(register):
    """Register document readers by calling ``register(reader)``.

    A reader is an object with ``name`` (str), ``suffixes`` (tuple of lower-case file
    suffixes such as ``(".txt",)`` or ``(".warc",)``), optionally ``sniff(head: bytes) ->
    bool`` (it recognises the content, whatever the file is called) and
    ``read(source) -> Iterator[Document | ReadFailure]``. ``source`` is a
    :class:`clean_corpus.inputs.Input`: ``name``, ``head`` (the first bytes),
    ``stream`` (the content, already decompressed from gzip, zstd or bz2), ``read_bytes()``
    (the whole content, refused past ``max_bytes``), ``path`` (the local file, if any).
    A reader raising for a whole file turns that file into one failed document; a reader
    that can tell bad parts of a file apart (one bad JSONL line) yields a
    :class:`clean_corpus.document.ReadFailure` for that part and goes on.
    The reader of an input is the first whose ``sniff`` says yes, else the one claiming
    the longest suffix (``.warc.gz`` before ``.gz``; a compression suffix is set aside:
    ``x.jsonl.zst`` is ``.jsonl``), else the fallback. When two readers claim a suffix, the
    one registered later (a third party) wins.
    A reader may also have ``count(path) -> int``, a cheap count of the documents in a
    file for the progress bar's total (without it, a file counts as one document).

    Damaged compressed content: a gzip member that does not inflate (or a wrong check,
    bytes where a member should start) does not end ``stream``; reading goes on at the next
    member, and ``source.damaged`` lists each damaged part passed over so far, in order, as
    a :class:`clean_corpus.inputs.Damage` (``start`` and ``end`` in the compressed bytes,
    ``reason``; ``at``, where in the content it was found, and ``gave``, how many of the
    bytes before ``at`` came from it). After ``read`` the run calls
    ``source.check_complete()``, which fails the whole file once (``DamagedInput``, naming
    them) for the damaged parts the reader did not report: a reader of whole files
    (``read_bytes()``) need do nothing. A reader of parts (lines, records) that goes on
    after a bad one reports them itself, so that each damaged part is one failure and a
    part is not counted twice (its own failure, then the file's): with ``start`` and ``end``
    the offsets of a part in the content (bytes read from ``stream``), it calls
    ``source.damage_before(start)`` before the part, and yields a ``ReadFailure`` of its own
    for each part returned (what it held is lost whole), then
    ``source.damage_within(start, end)`` once the part is read, and fails the part with
    ``DamagedInput`` and what it returns, if anything, instead of reading it (it holds what
    a damaged member gave out, or pieces from both sides of the damage), and finally
    ``source.damage_before(None)``. Both count what they return in
    ``source.damage_reported``, which ``check_complete`` leaves out. The JSON Lines and WARC
    readers (``clean_corpus_plugins.readers``, ``.warc``) do so.
    """


@hookspec
def register_writers(register):
    """Register record writers by calling ``register(name, factory)``.

    ``factory(path)`` returns an object with ``write(record: dict)`` and ``close()``;
    ``close()`` must make the output appear atomically (a half-written file must never
    look complete) and ``abort()`` must discard it. The CLI picks a writer by
    ``--format`` (default ``jsonl``); a name registered twice keeps the first plugin's in
    chain order (a built-in's).
    """


@hookspec
def configure(config):
    """Receive the run's :class:`clean_corpus.config.Config` before any document.

    Called once in every process that runs plugins (the main process and each worker).
    ``config.plugin_options(name)`` returns the options the user set for plugin ``name``
    in the ``[plugin.NAME]`` table of the TOML config or with ``--set NAME.KEY=VALUE``.
    """


@hookspec
def screen(document):
    """Return a reason (str) to drop the raw document before any processing, or ``None``.

    For cheap checks on the input as read (empty, too large, wrong type) that should spare
    the rest of the chain. Every reason returned is kept in the rejection.
    """


@hookspec(firstresult=True)
def extract(document):
    """Extract text blocks and metadata from ``document.html`` (or ``document.text``).

    Called for every document: an extractor of pages returns ``None`` for a text document
    (``document.html is None``) and the reverse; with no result for a text document, each
    of its lines becomes a block. What an extractor leaves out may be listed in
    ``Extraction.removed`` (with a reason and a score), which joins ``document.removed``.

    Return an :class:`clean_corpus.document.Extraction` (or ``None`` to pass). The first
    non-``None`` result wins, so a third-party extractor registered normally overrides the
    built-in trafilatura extractor, which is ``trylast``. Keep the structure the page had:
    headings, list items, captions and paragraphs become separate blocks with their kind,
    so cleaners can use it instead of guessing from flat text.
    """


@hookspec
def clean(document):
    """Remove boilerplate from ``document.blocks`` and lift metadata into fields.

    Every implementation runs, in chain order (built-ins first, in the order of
    ``BUILTIN_PLUGINS``, then third-party plugins, unless the configuration orders them
    differently). Use ``document.drop_block``/``document.cut`` so that each removal is
    recorded in ``document.removed`` with the plugin's name and the reason.
    """


@hookspec
def detect(document):
    """Annotate the cleaned document: set ``document.detections[NAME] = {...}``.

    Runs in worker processes; must depend on nothing but the document and the plugin's
    options, so results are the same for any number of workers. Corpus-level detectors
    compute per-document signatures here (store them in ``document.signatures``, which is
    never written to the record) and ingest them in :func:`observe`.
    """


@hookspec
def observe(document):
    """See one processed document, in input order, in the main process.

    From here on the raw input (``document.html``/``document.text``) has been released:
    what later hooks need of it must be taken in :func:`detect`.

    For corpus-level detectors (duplicates, text reuse, site boilerplate) that need the
    whole run before they decide. Keep only bounded state (hashes, sketches, counts).
    """


@hookspec
def corpus_ready(run):
    """The documents so far have been observed: build indexes and take corpus-wide decisions.

    ``run`` is the :class:`clean_corpus.pipeline.RunContext` (config, output paths).
    ``clean-corpus run`` calls it once, after every document was observed. A crawl
    streams, so the Scrapy pipeline calls it again as pages arrive (and once at the end):
    implementations must be safe to call repeatedly, each call deciding on what has been
    observed until then.
    """


@hookspec
def revise(document):
    """Second look at each document, in input order, after :func:`corpus_ready`.

    Corpus-level detectors annotate what they learned (duplicate clusters, reuse) and may
    remove learned boilerplate with ``document.drop_block``.
    """


@hookspec
def judge(document):
    """Return a reason (str) why the document must be dropped, or ``None`` to keep it.

    All implementations run; every reason returned is kept in the rejection. Detectors
    with a ``policy`` option return a reason only when their policy is ``drop``.
    """


@hookspec
def hold(document):
    """Return True to revise and judge ``document`` only after the documents not held back.

    Asked in the main process just before :func:`revise`, when a plugin's verdict on this
    document depends on how another one ends: the duplicate detector holds back a copy
    until the copy it would keep is written, so that if the kept copy fails or another
    plugin drops it, a held copy can be kept instead and no text is lost. Held documents
    are revised and judged after the others, in input order (their records, if written,
    come after the others'); a document held again waits for the next round, as long as
    each round decides at least one document. A crawl never holds a page back (a record
    it passed on is not taken back).
    """


@hookspec
def settled(document, status):
    """``document`` has its final outcome: ``status`` is ``"written"``, ``"rejected"`` or
    ``"failed"`` (a read failure carries no document and is not announced).

    Called in the main process after :func:`judge` for every document that reached the
    chain, including those that failed in a worker or in another plugin's hook. Corpus-level
    detectors use it to learn which documents were really written. A plugin raising here
    is recorded in the run's ``plugin_errors``; the outcome stands.
    """


@hookspec
def run_start(run):
    """A run is starting (main process only), before the first document is read."""


@hookspec
def run_end(run, stats):
    """A run has finished; ``stats`` holds the final counts. Save learned state here."""
