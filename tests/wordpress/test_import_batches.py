"""A first import writes new posts' comments, tags and categories in batches across posts: the
same rows as one post at a time, and a query count that does not grow by the comment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments.models import Comment
from wordpress.importer import import_wordpress

from .conftest import write_export

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Batches</title><link>https://old.example.com</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example.com</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>lee</wp:author_login>
<wp:author_display_name>Dr. Lee</wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>knees</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name>Knees</wp:cat_name></wp:category>
<wp:tag><wp:term_id>4</wp:term_id><wp:tag_slug>walking</wp:tag_slug>
<wp:tag_name>Walking</wp:tag_name></wp:tag>
"""


def comment(wp_id, parent, status="1", minute=0):
    return (
        f"<wp:comment><wp:comment_id>{wp_id}</wp:comment_id>"
        f"<wp:comment_author>Reader {wp_id}</wp:comment_author>"
        f"<wp:comment_date>2022-03-04 10:{minute:02d}:00</wp:comment_date>"
        f"<wp:comment_content>Reply number {wp_id}, see www.example.org too.</wp:comment_content>"
        f"<wp:comment_approved>{status}</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def export(posts):
    """`posts` posts, each with a thread five deep (deeper than COMMENTS_MAX_DEPTH), a held
    reply with an approved reply below it, a spam comment and a reply to a missing comment."""
    items = []
    for n in range(1, posts + 1):
        base = n * 100
        comments = [
            comment(base + 1, 0, minute=1),
            comment(base + 2, base + 1, minute=2),
            comment(base + 3, base + 2, minute=3),
            comment(base + 4, base + 3, minute=4),
            comment(base + 5, base + 4, minute=5),
            comment(base + 6, base + 1, status="0", minute=6),
            comment(base + 7, base + 6, minute=7),
            comment(base + 8, 0, status="spam", minute=8),
            comment(base + 9, 99999, minute=9),
            comment(base + 10, 0, minute=0),
        ]
        items.append(
            f"<item><title>Post {n}</title><dc:creator>lee</dc:creator>"
            f"<content:encoded>Walking helps knees, post {n}.</content:encoded>"
            f"<wp:post_id>{n}</wp:post_id><wp:post_date>2022-03-0{1 + n // 2} 09:00:00"
            f"</wp:post_date><wp:post_name>same-name</wp:post_name>"
            f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
            f'<category domain="category" nicename="knees">Knees</category>'
            f'<category domain="post_tag" nicename="walking">Walking</category>'
            f"{''.join(comments)}</item>"
        )
    return HEAD + "\n".join(items) + "\n</channel></rss>\n"


def places():
    """Where every comment sits, by WordPress ids (database ids differ between runs)."""
    wp_of = dict(Comment.objects.values_list("pk", "wp_id"))
    return {
        c.wp_id: (
            c.object_pk,
            wp_of[c.thread_id],
            wp_of[c.parent_id],
            c.level,
            c.order,
            c.nested_count,
            c.is_public,
            c.text_html,
        )
        for c in Comment.objects.all()
    }


@pytest.mark.django_db
def test_batched_comments_sit_where_one_post_at_a_time_puts_them(tmp_path):
    path = write_export(tmp_path, export(3))
    import_wordpress([path])  # new posts: their comments written in batches
    batched = places()
    assert len(batched) == 30
    # Articles already here: the comments go through the one-target-at-a-time path.
    Comment.objects.all().delete()
    report = import_wordpress([path])
    assert report.counts["comments"]["created"] == 30
    assert places() == batched
    article = Article.objects.get(wp_id=1)
    assert set(article.tags.values_list("slug", flat=True)) == {"walking"}
    assert set(article.categories.values_list("slug", flat=True)) == {"knees"}
    # Same slug, same day: the clash is still found with the query skipped for free slugs.
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "same-name",
        "same-name",
        "same-name-2",
    ]


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_comments(tmp_path):
    counts = []
    for posts in (2, 12):
        Article.objects.all().delete()
        Comment.objects.all().delete()
        path = write_export(tmp_path, export(posts), name=f"export-{posts}.xml")
        with CaptureQueriesContext(connection) as queries:
            import_wordpress([path])
        counts.append(len(queries))
    # 10 more posts and 100 more comments: the posts' own inserts and slug checks, nothing a
    # comment.
    assert counts[1] - counts[0] <= 10 * 3, counts
