import random

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.threads import Node, plan_threads
from tests.factories import ArticleFactory


def test_too_deep_replies_are_placed_under_the_deepest_ancestor_that_may_hold_them():
    # 1 > 2 > 3 > 4 > 5 written; three levels allowed (0, 1, 2).
    nodes = [Node(n, n - 1 if n > 1 else None, (n,), True) for n in range(1, 6)]
    places, moved = plan_threads(nodes, max_level=2)
    assert [(places[n].parent_id, places[n].level) for n in range(1, 6)] == [
        (1, 0), (1, 1), (2, 2), (2, 2), (2, 2),
    ]  # fmt: skip
    assert [places[n].order for n in range(1, 6)] == [1, 2, 3, 4, 5]
    assert places[1].nested_count == 4 and places[2].nested_count == 3
    assert moved == [4, 5]


def test_no_replies_allowed_makes_every_comment_top_level():
    places, moved = plan_threads([Node(1, None, (1,), True), Node(2, 1, (2,), True)], 0)
    assert places[2].thread_id == 2 and places[2].level == 0
    assert moved == [2]


def test_visibility_follows_the_sites_rule():
    nodes = [
        Node(1, None, (1,), False),  # held
        Node(2, 1, (2,), True),  # approved, under a held comment
        Node(3, None, (3,), True),
        Node(4, 3, (4,), True),
    ]
    places, _ = plan_threads(nodes, 2)
    assert [places[n].is_public for n in (1, 2, 3, 4)] == [False, False, True, True]


def test_missing_parents_and_loops_become_top_level():
    nodes = [Node(1, 99, (1,), True), Node(2, 3, (2,), True), Node(3, 2, (3,), True)]
    places, _ = plan_threads(nodes, 2)
    assert places[1].parent_id == 1 and places[1].level == 0
    assert {places[2].level, places[3].level} == {0, 1}


@pytest.mark.django_db
def test_the_plan_matches_what_xtd_computes_one_comment_at_a_time():
    article = ArticleFactory()
    rng = random.Random(5)
    made = []
    for n in range(60):
        eligible = [c for c in made if c.level < 2]
        parent = rng.choice(eligible) if eligible and rng.random() < 0.7 else None
        comment = Comment(
            content_object=article,
            site_id=1,
            user_name=f"Reader {n}",
            comment="Words.",
            submit_date=timezone.now() + timezone.timedelta(minutes=n),
            parent_id=parent.pk if parent else 0,
            status=Comment.Status.APPROVED,
        )
        comment.save()  # xtd's own thread bookkeeping
        made.append(comment)
    rows = list(Comment.objects.for_target(article))
    nodes = [
        Node(r.pk, None if r.parent_id == r.pk else r.parent_id, (r.submit_date,), True)
        for r in rows
    ]
    places, moved = plan_threads(nodes, 2)
    assert not moved
    for row in rows:
        place = places[row.pk]
        assert (row.thread_id, row.parent_id, row.level, row.order, row.nested_count) == (
            place.thread_id,
            place.parent_id,
            place.level,
            place.order,
            place.nested_count,
        )
