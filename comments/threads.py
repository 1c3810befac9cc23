"""Where each comment of an article sits in its thread, computed at once for the whole article.

django-comments-xtd keeps a thread as columns on each comment: `thread_id` (the top-level
comment's id), `parent_id` (its own id for a top-level comment), `level` (0 at the top), `order`
(1-based position in the thread, depth first) and `nested_count` (how many replies lie below).
Its save() works them out with several queries per comment, one comment at a time; an import
(comments.importing) computes them here for all of an article's comments and writes them in bulk.

A reply nested deeper than the site allows (settings.COMMENTS_MAX_DEPTH, top level = depth 1) is
attached to its ancestor at the deepest level that may still hold replies, as WordPress shows
such replies when its own thread depth is lowered; the original parent's id is kept beside it.
"""

from collections import defaultdict
from dataclasses import dataclass, replace


@dataclass
class Node:
    pk: int
    parent_pk: int | None  # the parent it was written under; None for top-level comments
    sort_key: tuple  # siblings are shown in this order (the date it was written, then its id)
    approved: bool


@dataclass(frozen=True)
class Place:
    thread_id: int
    parent_id: int
    level: int
    order: int
    nested_count: int
    is_public: bool


def plan_threads(nodes, max_level):
    """{pk: Place} for every node, and the pks of the replies attached higher than written.

    `max_level` is the deepest level allowed (0 = no replies at all). A parent that is missing
    (not among the nodes) or a loop in the parents makes a comment top-level.
    """
    by_pk = {node.pk: node for node in nodes}
    written_children = defaultdict(list)
    roots = []
    for node in nodes:
        if node.parent_pk is None or node.parent_pk not in by_pk or node.parent_pk == node.pk:
            roots.append(node)
        else:
            written_children[node.parent_pk].append(node)

    placed_parent = {}  # pk -> the pk it is shown under (None: top level)
    level = {}

    def place_below(start):
        placed_parent[start.pk], level[start.pk] = None, 0
        stack = [start]
        while stack:
            node = stack.pop()
            for child in written_children[node.pk]:
                if child.pk in level:
                    continue
                if level[node.pk] < max_level:
                    placed_parent[child.pk], level[child.pk] = node.pk, level[node.pk] + 1
                elif placed_parent[node.pk] is not None:
                    # Too deep: beside its parent, under the deepest ancestor that may hold it.
                    placed_parent[child.pk], level[child.pk] = (
                        placed_parent[node.pk],
                        level[node.pk],
                    )
                else:
                    placed_parent[child.pk], level[child.pk] = None, 0
                stack.append(child)

    for root in roots:
        place_below(root)
    while len(level) < len(by_pk):
        # Only comments in a loop of parents are left: the loop starts at its oldest comment.
        place_below(min((n for n in nodes if n.pk not in level), key=lambda n: (n.sort_key, n.pk)))

    shown_children = defaultdict(list)
    top = []
    for node in nodes:
        parent = placed_parent[node.pk]
        (top if parent is None else shown_children[parent]).append(node)
    for children in shown_children.values():
        children.sort(key=lambda n: (n.sort_key, n.pk))

    places = {}
    for root in sorted(top, key=lambda n: n.pk):
        order = 0
        # Depth first, as xtd orders a thread; nested_count is filled in on the way back up.
        stack = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                below = sum(1 + places[c.pk].nested_count for c in shown_children[node.pk])
                places[node.pk] = replace(places[node.pk], nested_count=below)
                continue
            order += 1
            parent = placed_parent[node.pk]
            visible = node.approved and (parent is None or places[parent].is_public)
            places[node.pk] = Place(
                thread_id=root.pk,
                parent_id=node.pk if parent is None else parent,
                level=level[node.pk],
                order=order,
                nested_count=0,
                is_public=visible,
            )
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(shown_children[node.pk]))
    moved = [
        node.pk
        for node in nodes
        if node.parent_pk in by_pk and placed_parent[node.pk] != node.parent_pk
    ]
    return places, moved
