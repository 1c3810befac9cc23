"""Settings for Back Story, read from environment variables (see ../shared/CONTRACT.md).

Development defaults are safe: DEBUG is off unless asked for, and without DEBUG a SECRET_KEY
must be given. Optional integrations (SMTP, Redis) switch on only when their variable is set.
"""

import datetime
import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from backstory.media import media_origin, media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def installed(module):
    """Whether `module` can be imported, without importing it (settings are not loaded yet)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development only."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")

SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.netloc:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) URL, got {SITE_URL!r}.")
SITE_DOMAIN = _site.netloc
SITE_ID = 1
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

# How many reverse proxies stand in front; only then is X-Forwarded-For believed.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    # Django's admin with the staff dashboard as its site (studio/).
    "studio.apps.StudioAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Full-text search on PostgreSQL; the app loads (and does nothing) on SQLite too.
    "django.contrib.postgres",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "markdownx",
    "solo",
    # Revisions of articles and pages (articles/history.py).
    "reversion",
    "django_tasks",
    # Before django_tasks_db (and django_rq, with TASKS_BACKEND=rq): their worker commands are
    # extended (a sweep when they start).
    "subscriptions",
    "django_tasks_db",
    # Readiness, the worker's heartbeat, periodic tasks, the task backend's checks.
    "ops",
    "django_comments_xtd",
    "django_comments",
    "guard",
    "images",
    "authors",
    # Readability, glossary, references, "when to seek care" callouts (articles renders them).
    "education",
    "articles",
    # Medical review reminders: the reviewers' weekly mail.
    "medreview",
    # After django_comments_xtd: its ready() disconnects xtd's unsafe receivers.
    "comments",
    # The sidebar's news from other sites' feeds, fetched by the server.
    "news",
    "pagecache",
    "wordpress",
    "studio",
    "stats",
    "signin",
    "privacy",
    # Reader accounts (readers/, README "Reader accounts"): django-allauth, separate from staff.
    # Every provider below is installed but shows no button until staff add its SocialApp in
    # the admin (Social accounts → Social applications).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.apple",
    "readers.wordpress_com",  # the old blog offered it; allauth has none (readers/wordpress_com)
    "readers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Readers' view counts, before everything they don't need (sessions, CSRF, auth).
    "stats.middleware.BeaconMiddleware",
    # Security headers outside the page cache: cached pages get them too, with a fresh nonce.
    "guard.middleware.CSPMiddleware",
    "guard.middleware.PermissionsPolicyMiddleware",
    # /healthz and /healthz/ready, with the security headers but before anything that could
    # fail in front of them (the page cache on a down Redis, sessions, the host check).
    "ops.middleware.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETags and 304s for everything below, cached pages included.
    "django.middleware.http.ConditionalGetMiddleware",
    "pagecache.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "signin.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The old WordPress blog's /?p=<id> links, answered before the home page's view.
    "wordpress.middleware.OldQueryLinksMiddleware",
    # Last: turns an admin sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backstory.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.blog",
            ],
        },
    },
]

WSGI_APPLICATION = "backstory.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The site and the task worker write at the same time: WAL lets readers carry on during a
    # write, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks), and the timeout
    # makes a writer wait for the other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"),
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SQLITE_TEST_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff sign-in (signin/, README "Running in production"). django-axes counts failed sign-ins
# and refuses a username, or a client IP, after AXES_FAILURE_LIMIT of them, for
# AXES_COOLOFF_MINUTES (or until staff unlock it in the admin: Axes → Access attempts). The IP
# is guard's, so X-Forwarded-For is believed only behind TRUSTED_PROXY_COUNT proxies.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "guard.requests.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "signin.views.locked_out"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# Reader accounts (readers/; README "Reader accounts"): django-allauth, with no password at
# all. A reader signs in with a one-time code mailed to the address, or a social account whose
# provider staff configured in the admin.
# Readers' sessions use Django's ModelBackend (allauth signs them in itself, with no password to
# check); staff never sign in through allauth (readers.adapter refuses them), and the staff
# sign-in above stays the admin's, with axes and the authenticator code.
ACCOUNT_ADAPTER = "readers.adapter.ReaderAccountAdapter"
SOCIALACCOUNT_ADAPTER = "readers.adapter.ReaderSocialAccountAdapter"
ACCOUNT_FORMS = {"request_login_code": "readers.forms.RequestCodeForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_UNIQUE_EMAIL = True
# allauth mails no confirmation links of its own: an address is proved by a sign-in code, or by a
# provider that says it verified it (an unproved one comments as guests do, with their mail).
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# A code works for READERS_CODE_MINUTES and for READERS_CODE_ATTEMPTS tries, then a new one must
# be asked for.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = int(env("READERS_CODE_MINUTES", "10")) * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = int(env("READERS_CODE_ATTEMPTS", "3"))
ACCOUNT_PREVENT_ENUMERATION = True
# An account made for an address whose code was never entered is deleted after this long.
READERS_UNUSED_HOURS = int(env("READERS_UNUSED_HOURS", "24"))
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
# Counted in Django's cache (Redis when REDIS_URL is set). Asking for a code: 3 an hour per
# address (anyone can type anyone's), READERS_CODE_RATE_LIMIT an hour per client IP.
ACCOUNT_RATE_LIMITS = {
    "request_login_code": f"{env('READERS_CODE_RATE_LIMIT', '10')}/h/ip,3/h/key",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
LOGIN_REDIRECT_URL = "readers:account"
# Two-factor sign-in for staff (django-otp, TOTP): anyone may turn it on for their account;
# with STAFF_REQUIRE_2FA every staff member must, and is sent to set it up after the password.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", SITE_DOMAIN)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", "UTC")
# Phone numbers written without a country code (in articles, pages, the site settings) are
# read as numbers of this country (ISO 3166 code) when they are made tap-to-call links.
PHONE_REGION = env("PHONE_REGION", "US")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# On disk, or in an S3-compatible bucket with MEDIA_STORAGE=s3 (backstory/media.py).
MEDIA_STORAGE = env("MEDIA_STORAGE", "local")
STORAGES = {
    "default": media_storage(env),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: anything above this goes to a temporary file instead of memory; images are capped
# separately (images.validation.MAX_UPLOAD_BYTES).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Mail: SMTP when EMAIL_HOST is set, else files in EMAIL_OUTBOX if set, else the console.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "The Back Story <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_TIMEOUT = 30
elif env("EMAIL_OUTBOX"):
    # Each message as files a person can open (mailer/outbox.py): make run uses ./outbox/.
    EMAIL_BACKEND = "mailer.outbox.EmailBackend"
    EMAIL_OUTBOX = Path(env("EMAIL_OUTBOX"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background tasks: django-tasks-db by default; the backend is a setting, never a code change.
TASKS_BACKEND = env("TASKS_BACKEND", "db")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
    "rq": "ops.rq_backend.RQBackend",  # django-tasks-rq's, see there
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}; got {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# RQ on Redis: the queue in REDIS_URL, run by `manage.py rqworker --with-scheduler`.
RQ_INSTALLED = installed("django_tasks_rq") and installed("django_rq")
if TASKS_BACKEND == "rq":
    if RQ_INSTALLED and REDIS_URL:
        RQ_QUEUES = {"default": {"URL": REDIS_URL}}
        # The worker must run jobs as django_tasks tasks (their own Job class, not RQ's).
        RQ = {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "ops.rq_backend.Worker"}
        _after = INSTALLED_APPS.index("subscriptions") + 1
        INSTALLED_APPS[_after:_after] = ["django_rq", "django_tasks_rq"]
    else:
        # ops.checks says what is missing (an Error: start-up and `manage.py check` stop); a
        # process that skips the checks gets the same message at its first task, never a
        # silently lost mail.
        TASKS = {"default": {"BACKEND": "ops.backends.UnusableBackend"}}
# The worker runs a heartbeat task this often; /healthz/ready fails when the last one is older
# than WORKER_HEARTBEAT_MAX_AGE.
WORKER_HEARTBEAT_SECONDS = int(env("WORKER_HEARTBEAT_SECONDS", "60"))
WORKER_HEARTBEAT_MAX_AGE = int(env("WORKER_HEARTBEAT_MAX_AGE", "300"))
# Without Redis each process caches on its own; the number that retires cached pages when
# content changes (pagecache/version.py) is then shared through this file.
CONTENT_VERSION_FILE = Path(env("CONTENT_VERSION_FILE", str(BASE_DIR / ".content-version")))
# django-solo's cache of SiteSettings stays off: the row is cached in the page chrome, per content
# version, which every process retires at once; solo's copy would outlive a save made elsewhere.
SOLO_CACHE = None

# Privacy (privacy/; README "Privacy"): comments and follows never confirmed are deleted after
# this many days, by a periodic task every PRIVACY_PURGE_SECONDS; "download my data" links work
# for PRIVACY_DOWNLOAD_DAYS, and the request form takes PRIVACY_REQUEST_RATE_LIMIT an hour per IP.
PRIVACY_UNCONFIRMED_DAYS = int(env("PRIVACY_UNCONFIRMED_DAYS", "30"))
PRIVACY_PURGE_SECONDS = int(env("PRIVACY_PURGE_SECONDS", "3600"))
PRIVACY_DOWNLOAD_DAYS = int(env("PRIVACY_DOWNLOAD_DAYS", "3"))
PRIVACY_REQUEST_RATE_LIMIT = int(env("PRIVACY_REQUEST_RATE_LIMIT", "10"))

# Following by email (subscriptions/; README "Following by email").
# The key of the suppression list's fingerprints. Set it once and never change it: under a new
# key, addresses that unsubscribed, bounced or were erased would no longer be recognised.
SUBSCRIPTIONS_HASH_KEY = env("SUBSCRIPTIONS_HASH_KEY", SECRET_KEY)
SUBSCRIPTIONS_CONFIRM_DAYS = int(env("SUBSCRIPTIONS_CONFIRM_DAYS", "7"))
SUBSCRIPTIONS_RATE_LIMIT = int(env("SUBSCRIPTIONS_RATE_LIMIT", "10"))  # subscribe POSTs/IP/hour
SUBSCRIPTIONS_BATCH_SIZE = int(env("SUBSCRIPTIONS_BATCH_SIZE", "200"))  # mails per connection
# Rows claimed, and recorded as sent, in one transaction each: what a worker killed mid-send
# can leave "caught mid-send" for staff (never sent again on its own).
SUBSCRIPTIONS_CLAIM_CHUNK = int(env("SUBSCRIPTIONS_CLAIM_CHUNK", "50"))
# How many batches of one article's mail may go out at once, each in its own worker over its
# own SMTP connection. SQLite serialises writes: one.
SUBSCRIPTIONS_SENDERS = int(
    env("SUBSCRIPTIONS_SENDERS", "1" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "4")
)
# Mail (mailer/): seconds to wait after the 1st, 2nd, … failed attempt of any mail we send.
# Each app decides how many attempts it makes (follower mail: one after each delay, then it is
# given up). SUBSCRIPTIONS_RETRY_DELAYS is this setting's older name and is still read.
MAIL_RETRY_DELAYS = [
    int(seconds)
    for seconds in env_list(
        "MAIL_RETRY_DELAYS",
        env("SUBSCRIPTIONS_RETRY_DELAYS", "60,300,900,3600,10800,21600,43200"),
    )
]
SUBSCRIPTIONS_SWEEP_SECONDS = int(env("SUBSCRIPTIONS_SWEEP_SECONDS", "300"))
# A delivery still "sending" after this long belonged to a worker that died mid-send.
SUBSCRIPTIONS_SENDING_TIMEOUT = int(env("SUBSCRIPTIONS_SENDING_TIMEOUT", "600"))
# A batch that failed on the database (a restart) is queued again this many seconds later.
SUBSCRIPTIONS_DB_RETRY_SECONDS = 5
# The weekly digest is due on this weekday (0 Monday … 6 Sunday) at this time (TIME_ZONE), and
# lists the articles published in the seven days before. The sweep (SUBSCRIPTIONS_SWEEP_SECONDS)
# sends it; a worker back within SUBSCRIPTIONS_DIGEST_LATE_HOURS of that time still sends it.
SUBSCRIPTIONS_DIGEST_WEEKDAY = int(env("SUBSCRIPTIONS_DIGEST_WEEKDAY", "0"))
SUBSCRIPTIONS_DIGEST_TIME = env("SUBSCRIPTIONS_DIGEST_TIME", "08:00")
SUBSCRIPTIONS_DIGEST_LATE_HOURS = int(env("SUBSCRIPTIONS_DIGEST_LATE_HOURS", "72"))

# Readership statistics (stats/; README "Statistics"). Views wait in memory (or Redis) for at
# most this many seconds before they are written in one batch; 0 writes only when staff look.
STATS_FLUSH_SECONDS = float(env("STATS_FLUSH_SECONDS", "5"))
STATS_FLUSH_MAX_HITS = 10_000  # a process's buffer is written at once when it holds this many
STATS_REDIS_PREFIX = env("STATS_REDIS_PREFIX", "stats:")  # keys of the counts in Redis
# Daily figures older than this many days are deleted; unset or 0 keeps them for as long as the
# site runs.
STATS_RETENTION_DAYS = int(env("STATS_RETENTION_DAYS", "0")) or None

# Markdown authoring: the preview uses the same sanitising renderer as saved articles.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "markup.render.markdown_to_html"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MARKDOWNX_UPLOAD_MAX_SIZE = 25 * 1024 * 1024
MARKDOWNX_SERVER_CALL_LATENCY = 800
# The longest Markdown text staff may save (articles, pages, bios, sidebar links) or preview.
MARKDOWN_MAX_CHARS = int(env("MARKDOWN_MAX_CHARS", "100000"))
MARKDOWN_PREVIEW_MAX_CHARS = MARKDOWN_MAX_CHARS
# A hard bound on one render's wall time (markup.bounds.time_limit; 0 turns it off). Shapes
# known to be slow are refused before rendering; this catches anything else.
MARKDOWN_RENDER_SECONDS = float(env("MARKDOWN_RENDER_SECONDS", "10"))

# A clinical article (one with a medical reviewer) is due for review this long after its last.
MEDICAL_REVIEW_INTERVAL_MONTHS = int(env("MEDICAL_REVIEW_INTERVAL_MONTHS", "12"))
# The dashboard's "review due soon": reviews falling due within this many days.
MEDICAL_REVIEW_DUE_SOON_DAYS = int(env("MEDICAL_REVIEW_DUE_SOON_DAYS", "30"))
# How often the worker looks for reviewers to remind (each is mailed at most once a week).
MEDICAL_REVIEW_REMINDER_SECONDS = int(env("MEDICAL_REVIEW_REMINDER_SECONDS", str(6 * 3600)))

# Feeds carry each article's full text (content:encoded, Atom <content>), as the old blog's did;
# 0 sends only the excerpt and a link, for readers to come to the site.
FEED_FULL_CONTENT = env_bool("FEED_FULL_CONTENT", True)

# Without the shipped nginx in front, Django serves uploaded media itself.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# Comments: django-comments-xtd's threading with our own model, form, mail and moderation.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "comments.models.Comment"
COMMENTS_XTD_FORM_CLASS = "comments.forms.CommentForm"
# Replies nest to this depth, top-level comments being depth 1 (WordPress's default is 5).
COMMENTS_MAX_DEPTH = int(env("COMMENTS_MAX_DEPTH", "3"))
COMMENTS_XTD_MAX_THREAD_LEVEL = COMMENTS_MAX_DEPTH - 1
# Our receivers confirm and notify; xtd's own (pickled links, threads) stay off.
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_SEND_HTML_EMAIL = True
# Not COMMENT_MAX_LENGTH: django-contrib-comments bakes that into its migrations.
COMMENTS_MAX_CHARS = 5000
# Close comments this many days after publication (unset: never close automatically).
COMMENTS_CLOSE_AFTER_DAYS = int(env("COMMENTS_CLOSE_AFTER_DAYS", "0")) or None
# Held for moderation: more links than this, or any blocked word.
COMMENTS_MAX_LINKS = 2
COMMENTS_BLOCKED_WORDS = env_list(
    "COMMENTS_BLOCKED_WORDS", "viagra,cialis,casino,crypto giveaway,payday loan"
)
# A human needs a few seconds to write; the form itself stays valid for a week (cached pages).
COMMENTS_MIN_SECONDS = int(env("COMMENTS_MIN_SECONDS", "3"))
COMMENTS_FORM_MAX_AGE = 7 * 24 * 3600
COMMENTS_CONFIRM_MAX_AGE = 3 * 24 * 3600
# Posts allowed per client IP and per email address in each window.
COMMENTS_RATE_LIMIT = int(env("COMMENTS_RATE_LIMIT", "5"))
COMMENTS_RATE_WINDOW = 60
# The form's health-detail check (POST /comments/check/), asked once per "Post Comment" press.
COMMENTS_CHECK_RATE_LIMIT = int(env("COMMENTS_CHECK_RATE_LIMIT", "30"))
# A guest's comment mails a confirmation link at most once per address in this many seconds;
# the mail quotes at most COMMENTS_CONFIRM_QUOTE_CHARS of the comment.
COMMENTS_CONFIRM_MAIL_INTERVAL = 600
COMMENTS_CONFIRM_QUOTE_CHARS = 100
# News from other sites (news/): feeds staff choose, fetched by a periodic task.
NEWS_FETCH_SECONDS = int(env("NEWS_FETCH_SECONDS", "1800"))
NEWS_TIMEOUT_SECONDS = 10
NEWS_MAX_BYTES = 1024 * 1024
NEWS_ITEMS_PER_FEED = 10
NEWS_BOX_ITEMS = 5
NEWS_BOX_TITLE = env("NEWS_BOX_TITLE", "News from other sites")
NEWS_USER_AGENT = f"BackStory-news/1 (+{SITE_URL}/)"
# Likes and unlikes allowed per client IP per hour.
LIKES_RATE_LIMIT = int(env("LIKES_RATE_LIMIT", "30"))

# Full-page cache for anonymous readers (staff, POSTs and per-reader pages are never cached).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Kept in Django's cache for this long, unless a change retires it sooner; like counts may lag
# by this much.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "60"))
PAGE_CACHE_MAX_AGE = int(env("PAGE_CACHE_MAX_AGE", "30"))  # browsers and nginx
PAGE_CACHE_STALE_SECONDS = 60

LOGIN_URL = "admin:login"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy, enforced on every page, the admin's too: scripts and styles only from
# our own files, or inline with this response's nonce (`request.csp_nonce`); no frames of us
# anywhere. Pages shared by caches carry no nonce (pagecache never stores a page that used one).
# Images may come from https hosts: imported articles keep their old image addresses.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "https:", *filter(None, [media_origin(STORAGES["default"])])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# Features no page of ours uses, refused for us and anything we embed (guard/middleware.py).
PERMISSIONS_POLICY = ["camera", "microphone", "geolocation", "interest-cohort", "browsing-topics"]
# X-Forwarded-Proto says https only if a proxy of ours wrote it; from a client it is a lie.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG and _site.scheme == "https":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/ready$"]  # probes come over plain HTTP
    # The blog is often a subdomain of a practice's main site, whose other subdomains are not
    # ours to force onto HTTPS or into browsers' preload lists: opt in by environment.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# Logs go to the console (journald or the container's log); LOG_FORMAT=json writes one JSON
# object a line for a log collector.
LOG_FORMAT = env("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json; got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
