from tests.subscriptions.conftest import clock, db_tasks  # noqa: F401  (shared fixtures)
