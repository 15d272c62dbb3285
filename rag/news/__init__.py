"""News knowledge extracted at ingest by code: who said what (quotes), when and where.

``rag.news.quotes`` finds statements and their speakers in an article, ``rag.news.attribution``
answers "What did X say?" from them. Per-language cues live as data in ``lexicons/*.toml``.
"""
