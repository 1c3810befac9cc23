from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Statistics"
    # What the staff groups may do here (articles.groups): Editors see the statistics.
    staff_permissions = {"Editors": ["view_statistics", "view_articleday"]}
