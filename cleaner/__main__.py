"""``python -m clean_corpus``: the ``clean-corpus`` command."""
import sys

from clean_corpus.cli import main

sys.exit(main())
