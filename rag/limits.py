"""How much one input may cost at ingest: the defaults of ``rag ingest``'s limits, in one place
(no imports, so the CLI can show them without loading the readers)."""

DEFAULT_MAX_ARTICLE_CHARS = 25_000
"""Articles longer than this are cut to it, with a warning naming the article.

The longest real news articles in the dev corpora are 11,534 characters (Kompas, PFSA-ID) and
10,038 (Wikinews, the demo corpus); the limit is twice that, about 4,000 words. It also bounds what
one input costs: at 100,000 characters the 2M-character one-line file still took 31 s to ingest
with the default embedder (99 passages of 200 words; benchmarks/hostile_inputs.py), at 25,000 it
is ~25 passages. Cut rather than skipped: the start of an over-long text is still the user's
article, and what was dropped is said in the warning (raise ``--max-article-chars`` for long reads)."""
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest file read whole (after decompression); JSON Lines are streamed instead."""
DEFAULT_MAX_DECOMPRESSED_BYTES = 4 * 1024**3
"""Most bytes one compressed JSON Lines file may decompress to (a 4 GB dump is ~1M articles)."""
