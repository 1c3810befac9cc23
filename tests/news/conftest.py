from tests.subscriptions.conftest import db_tasks  # noqa: F401  (shared fixture)
