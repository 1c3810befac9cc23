from django.apps import AppConfig


class WordPressConfig(AppConfig):
    """Moving from WordPress: the `import_wordpress` command. No models of its own: what the
    site keeps from WordPress (ids, attachment addresses) lives with the articles, authors and
    comments it belongs to."""

    name = "wordpress"
    verbose_name = "WordPress import"
