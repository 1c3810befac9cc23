from django.apps import AppConfig


class WordPressConfig(AppConfig):
    """Moving from WordPress: the `import_wordpress` command, and the old blog's addresses that
    are not permalinks (/?p=<id> and its kin, attachment pages, subcategory paths), with the
    attachments they need. The WordPress ids of articles, authors and comments live with the
    rows they belong to."""

    name = "wordpress"
    verbose_name = "WordPress import"
