"""News knowledge extracted at ingest by code: who said what (quotes), when and where.

``rag.news.quotes`` (with ``direct_quotes``, ``indirect_speech``, ``speaker_words``, ``speakers``, ``mentions``) finds statements and their speakers in an article, ``rag.news.attribution``
answers "What did X say?" from them. Per-language cues live as data in ``lexicons/*.toml``.
"""
