import time

import pytest
import time_machine

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, UserFactory


@pytest.fixture
def steady_rate_window():
    """Rate limits count in fixed windows (a minute, an hour): a test straddling a window's end
    would see its count start again at zero. This moves the clocks back to the top of the hour,
    so every window has just begun and none turns during the test; time still runs."""
    now = time.time()
    with time_machine.travel(now - now % 3600 + 1, tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    # Real hashing costs about half a second per user made (tests/hashers.py says why not here).
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["tests.hashers.QuickPBKDF2PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached chrome and fragments must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTENT_VERSION_FILE = tmp_path / "content-version"
    # A running site always has a content version. Here nothing a test saves is ever committed
    # (each test is one transaction, rolled back), so nothing would write a first one: tests
    # that need a change to retire cached pages run its on_commit callbacks
    # (django_capture_on_commit_callbacks), as the commit would.
    from pagecache import version

    version._write({"v": int(time.time() * 1000), "next": None})
    # The manifest needs collectstatic; tests check pages, not hashed file names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def author(db):
    return AuthorFactory()


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def author_user(db):
    return UserFactory(username="writer", groups=["Authors"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends to it through the SMTP backend."""
    from tests.smtp import start_smtp_server

    controller, inbox = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    inbox.controller.stop(no_assert=True)  # the one running now (a test may have restarted it)


@pytest.fixture(scope="session")
def redis_server():
    """Debian's redis-server on a free port for this test session; no persistence."""
    import os

    from tests.redis_server import RedisServer, redis_server_path

    executable = redis_server_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: CI must install it (apt-get install).")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(executable)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _object_storage_server():
    from tests.object_storage import ObjectStorage

    server = ObjectStorage()
    yield server
    server.stop()


@pytest.fixture
def object_storage(_object_storage_server, settings):
    """Media in an empty bucket of an S3 emulator on loopback (tests/object_storage.py), as
    MEDIA_STORAGE=s3 stores them."""
    _object_storage_server.empty()
    settings.STORAGES = {**settings.STORAGES, "default": _object_storage_server.storage()}
    yield _object_storage_server
    _object_storage_server.empty()


def _task_backends_under_test():
    import os

    # CI runs the SQLite suite on the default backend alone and the PostgreSQL suite on both
    # (SQLite and RQ together is no setup anyone deploys), so the two fit its time together.
    chosen = os.environ.get("TASK_BACKENDS_UNDER_TEST", "db,rq")
    return [name for name in ("db", "rq") if name in chosen.split(",")]


@pytest.fixture(params=_task_backends_under_test())
def task_queue(request, settings):
    """The task backend a real worker runs, each of them in turn (TASK_BACKENDS_UNDER_TEST,
    both unless told): django-tasks-db, and RQ on a test redis-server. Tasks this process queues
    go to the same place."""
    from tests.subscriptions.worker import DatabaseQueue, RQQueue

    if request.param == "db":
        queue = DatabaseQueue()
    else:
        server = request.getfixturevalue("redis_server")
        server.flush()
        queue = RQQueue(server)
    queue.configure(settings)
    return queue


@pytest.fixture
def start_worker(smtp_server, task_queue):
    """`start_worker(**env)` starts a real worker process on `task_queue`; all stop at the end."""
    from tests.subscriptions.worker import WorkerProcess

    workers = []

    def start(**env):
        worker = WorkerProcess(smtp_server.port, task_queue, **env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:  # all at once: each takes a moment to finish and stop its scheduler
        worker.terminate()
    for worker in workers:
        worker.stop()


@pytest.fixture
def feed_server():
    """An RSS feed on loopback (tests/feed_server.py) whose status and body a test sets."""
    from tests.feed_server import FeedServer

    server = FeedServer()
    yield server
    server.close()
