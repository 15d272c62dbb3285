"""Stories: the reports of one event, as grouped at ingest (rag/news/copies.py), listed for ``rag stories``."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class StoryArticle:
    id: str
    title: str
    source: str | None
    date: str | None
    lang: str | None
    copy_group: str


@dataclass(frozen=True)
class Story:
    id: str
    """The story's earliest article's id."""
    title: str
    """The title of its earliest article."""
    first_date: str | None
    last_date: str | None
    outlets: tuple[str, ...]
    """Distinct outlets, in order of their first article."""
    articles: tuple[StoryArticle, ...]
    """Oldest first."""

    @property
    def reports(self) -> int:
        """Distinct reports: copy groups (a wire story run by five outlets is one report)."""
        return len({a.copy_group for a in self.articles})

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "first_date": self.first_date, "last_date": self.last_date,
            "outlets": list(self.outlets), "article_count": len(self.articles), "reports": self.reports,
            "articles": [asdict(a) for a in self.articles],
        }  # fmt: skip


def list_stories(db: sqlite3.Connection, since: str | None = None, min_articles: int = 1) -> list[Story]:
    """Every story with an article dated ``since`` or later (all when None), newest first."""
    try:
        rows = db.execute(
            "SELECT c.story, a.id, a.title, a.source, a.date, a.lang, c.copy_group FROM copies c JOIN articles a ON a.id = c.article_id "
            "ORDER BY c.story, coalesce(a.date, '9999'), a.id"
        ).fetchall()
    except sqlite3.OperationalError:  # an index from before stories: none until its next write
        return []
    by_story: dict[str, list[StoryArticle]] = {}
    for r in rows:
        by_story.setdefault(r[0], []).append(StoryArticle(*r[1:]))
    stories = []
    for story_id, articles in by_story.items():
        dates = [a.date for a in articles if a.date]
        if since and not any(d >= since for d in dates) or len(articles) < min_articles:
            continue
        head = next((a for a in articles if a.id == story_id), articles[0])
        outlets = tuple(dict.fromkeys(a.source for a in articles if a.source))
        stories.append(Story(story_id, head.title, min(dates, default=None), max(dates, default=None), outlets, tuple(articles)))
    stories.sort(key=lambda s: (s.last_date or "", s.id), reverse=True)
    return stories



def stories_of(db: sqlite3.Connection, article_ids: list[str]) -> dict[str, str]:
    """Each article's story id (empty for an index from before stories)."""
    if not article_ids:
        return {}
    try:
        marks = ",".join("?" * len(article_ids))
        return dict(db.execute(f"SELECT article_id, story FROM copies WHERE article_id IN ({marks})", article_ids))
    except sqlite3.OperationalError:  # an index from before stories
        return {}
