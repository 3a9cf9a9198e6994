"""Settings shared by every environment. Values come from the environment (see README's table)."""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from overgang.innlogging.kobling import les_grupper

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY må settes når DEBUG er av.")
    # Only ever used on a developer's machine: DEBUG is on, so nothing real runs with it.
    SECRET_KEY = "dev-only-insecure-key-overgang"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# A meeting's page belongs to the secretariat. The organisation app knows no app above it, so the project, which
# composes the apps, says where a meeting lives (used by e-mail links and templates through get_absolute_url).
ABSOLUTE_URL_OVERRIDES = {
    "organisasjon.mote": lambda mote: reverse("sekretariat:mote", args=[mote.pk]),
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "pgtrigger",
    "axes",
    "overgang.organisasjon",
    "overgang.innlogging",
    "overgang.endringslogg",
    "overgang.varsler",
    "saker",
    "godkjenning",
    "sekretariat",
    "overgang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "overgang.middleware.MaksStorrelseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "overgang.sikkerhet.HoderMiddleware",
    "overgang.sikkerhet.IkkeTillattMiddleware",
    "overgang.sikkerhet.OktMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "overgang.urls"
WSGI_APPLICATION = "overgang.wsgi.application"

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
                "overgang.organisasjon.context_processors.roller",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'overgang.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # PostgreSQL's JIT compiles the app's larger aggregate queries and costs more than it saves: at 100,000 cases
    # it added 656 and 567 ms to the two slowest page queries (bench/README.md). The app's connections do without.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisasjon.Bruker"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in: django-axes locks out after repeated failures, per user name and per address, for a while. It comes
# first, as it asks; then the password, then the municipality's account (overgang/innlogging). A sign-in through
# the provider is not a password attempt: axes neither counts it nor stops it (AXES_WHITELIST_CALLABLE).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "overgang.innlogging.backends.LokalBackend",
                           "overgang.innlogging.backends.OidcBackend"]
AXES_WHITELIST_CALLABLE = "overgang.innlogging.backends.er_oidc_forsok"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIMER", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/sperret.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
# A session ends after this long without a request, and after a working day whatever happens.
SESSION_INAKTIV_MINUTTER = env.int("SESSION_INAKTIV_MINUTTER", default=60)
SESSION_MAKS_TIMER = env.int("SESSION_MAKS_TIMER", default=10)
SESSION_COOKIE_AGE = SESSION_MAKS_TIMER * 3600

# Content-Security-Policy (django-csp): only our own files; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with the municipality's account over OpenID Connect (overgang/innlogging, mozilla-django-oidc):
# offered when the issuer, client id and secret are set. The endpoints come from the issuer's discovery document.
# The authorization code flow always uses PKCE (S256), state and nonce; the ID token must be RS256-signed with a
# key from the provider's JWKS. OIDC_GRUPPER maps group ids (Entra: object ids) to a role, sector and municipality.
OIDC_ISSUER = env("OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid profile email")
OIDC_GRUPPER = les_grupper(env("OIDC_GRUPPER", default=""))
OIDC_GRUPPE_CLAIMS = env.list("OIDC_GRUPPE_CLAIMS", default=["groups", "roles"])
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
OIDC_AUTHENTICATION_CALLBACK_URL = "innlogging:callback"
# Local sign-in with user name and password; production may switch it off (a superuser keeps the break-glass
# page, /innlogging/nodinngang/).
LOKAL_INNLOGGING = env.bool("LOKAL_INNLOGGING", default=True)
if OIDC_ISSUER:
    # Signing out posts a form whose answer sends the browser on to the provider's logout page; the browser holds
    # that redirect to the form-action of the page the form was on. (Signing in is a link, not a form.)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("{0.scheme}://{0.netloc}".format(urlsplit(OIDC_ISSUER)))

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål")]
# The project's own catalog (locale/nb) comes first: it adds what Django's nb catalog lacks in the admin.
LOCALE_PATHS = [BASE_DIR / "locale"]
# One family of dates across the app (overgang/formater/nb/formats.py): "26.11.2026", "26. november 2026".
FORMAT_MODULE_PATH = ["overgang.formater"]
# A refused CSRF check gets a Norwegian page that says what to do, not Django's English one.
CSRF_FAILURE_VIEW = "overgang.feilsider.csrf_feil"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Case documents are private: they are never served from MEDIA_URL, only through views that check access.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

MAKS_FILSTORRELSE_MB = env.int("MAKS_FILSTORRELSE_MB", default=50)
MAKS_SAKSTORRELSE_MB = env.int("MAKS_SAKSTORRELSE_MB", default=200)
# The clamd socket for a virus scan of every upload, e.g. /var/run/clamav/clamd.ctl; unset: no scan.
CLAMD_SOCKET = env("CLAMD_SOCKET", default="")
DATA_UPLOAD_MAX_NUMBER_FILES = 50
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail. Without EMAIL_URL, mail is written as files to var/mail/ so nothing leaves a developer's machine.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = Path(env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail")))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Overgang <overgang@lillestrom.kommune.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SEKRETARIAT_EPOST = env("SEKRETARIAT_EPOST", default="politikk@lillestrom.kommune.no")

# Celery. Without a broker URL every task runs in-process at once, so `make run` needs no services.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False

# Delivery of the outbox (overgang/varsler). A worker claims a row for VARSEL_LEASE_SEKUNDER and renews the
# claim between the steps of the SMTP conversation (each bounded by EMAIL_TIMEOUT); a claim that runs out
# belonged to a dead worker and is taken over by the sweeper, which runs every VARSEL_FEIE_SEKUNDER.
VARSEL_LEASE_SEKUNDER = env.float("VARSEL_LEASE_SEKUNDER", default=60)
VARSEL_FEIE_SEKUNDER = env.float("VARSEL_FEIE_SEKUNDER", default=60)
# A new row is queued on commit; the sweeper queues it only when it has waited this long (the broker was down).
VARSEL_FEIER_VENT_SEKUNDER = env.float("VARSEL_FEIER_VENT_SEKUNDER", default=30)
# Temporary failures are retried with backoff (first wait, doubled up to the cap) until the budget is spent.
VARSEL_BACKOFF_SEKUNDER = env.float("VARSEL_BACKOFF_SEKUNDER", default=30)
VARSEL_BACKOFF_MAKS_SEKUNDER = env.float("VARSEL_BACKOFF_MAKS_SEKUNDER", default=600)
VARSEL_BUDSJETT_TIMER = env.float("VARSEL_BUDSJETT_TIMER", default=24)
# The one attempt per request to hand rows to the broker gives up after this long (connect and send).
VARSEL_KO_TIDSGRENSE = env.float("VARSEL_KO_TIDSGRENSE", default=0.5)
# A row still pending after this many minutes counts as late (admin index, /varsler/status/, /helse/).
VARSEL_FORSINKET_MINUTTER = env.int("VARSEL_FORSINKET_MINUTTER", default=15)
# Who is told, in one e-mail per sweep, about rows that failed for good; besides the active superusers.
VARSEL_ADMIN_EPOST = env.list("VARSEL_ADMIN_EPOST", default=[])
if min(VARSEL_LEASE_SEKUNDER, VARSEL_FEIE_SEKUNDER, VARSEL_BACKOFF_SEKUNDER, VARSEL_KO_TIDSGRENSE) <= 0:
    raise ImproperlyConfigured("VARSEL_LEASE_SEKUNDER, VARSEL_FEIE_SEKUNDER, VARSEL_BACKOFF_SEKUNDER og "
                               "VARSEL_KO_TIDSGRENSE må være større enn null.")
if VARSEL_LEASE_SEKUNDER <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured("VARSEL_LEASE_SEKUNDER må være større enn EMAIL_TIMEOUT: kravet fornyes mellom "
                               "stegene i SMTP-samtalen, og ett steg kan vare så lenge.")
# Reminders (overgang/varsler/paminnelser.py runs the rules each app registers), in Norwegian working days:
# a case waiting for approval reminds the approver after N and the rådmann after M more; an approved case not
# sent to the secretariat reminds its officer N before the meeting's saksfrist; a vedtaksbrev not sent to every
# party reminds the officer after N days.
PAMINNELSE_GODKJENNING_ARBEIDSDAGER = env.int("PAMINNELSE_GODKJENNING_ARBEIDSDAGER", default=3)
PAMINNELSE_RADMANN_ARBEIDSDAGER = env.int("PAMINNELSE_RADMANN_ARBEIDSDAGER", default=2)
PAMINNELSE_SENDEFRIST_ARBEIDSDAGER = env.int("PAMINNELSE_SENDEFRIST_ARBEIDSDAGER", default=2)
PAMINNELSE_VEDTAKSBREV_DAGER = env.int("PAMINNELSE_VEDTAKSBREV_DAGER", default=7)
# Redis hands an unacknowledged task to another worker after visibility_timeout. It is longer than any task
# may run and than a claim's lease, so a live worker's task is not handed out twice, and a dead worker's
# task comes back soon after its claim ran out (the sweeper usually takes the row over first). The short
# socket timeouts keep a frozen broker from hanging the worker for long.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1, "socket_timeout": 5, "max_retries": 0,
    "visibility_timeout": int(CELERY_TASK_TIME_LIMIT + VARSEL_LEASE_SEKUNDER),
}
CELERY_BEAT_SCHEDULE = {
    "send-ventende-varsler": {
        "task": "overgang.varsler.tasks.send_ventende",
        "schedule": datetime.timedelta(seconds=VARSEL_FEIE_SEKUNDER),
        "kwargs": {"fra_beat": True},
    },
    # Reminders each morning; the run itself skips weekends and public holidays.
    "send-paminnelser": {"task": "overgang.varsler.tasks.send_paminnelser", "schedule": crontab(hour=7, minute=5)},
    "rydd-mellomlagring": {"task": "saker.tasks.rydd_mellomlagring", "schedule": crontab(minute=17)},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django": {"level": "INFO"}},
}

# The control page flags an approved case not yet sent to the secretariat this many days before the
# meeting's saksfrist.
KONTROLL_SENDEFRIST_DAGER = env.int("KONTROLL_SENDEFRIST_DAGER", default=3)

# Dispatch of the vedtaksbrev: "manuell" (the case officer sends it in SvarUt's own pages and records the
# shipment id here) or "svarut" (sent through the SvarUt REST API). The SvarUt account has no defaults:
# empty means not configured, and choosing "svarut" without it fails when a letter is sent.
UTSENDING_BACKEND = env("UTSENDING_BACKEND", default="manuell")
if UTSENDING_BACKEND not in {"manuell", "svarut"}:
    raise ImproperlyConfigured("UTSENDING_BACKEND må være «manuell» eller «svarut».")
SVARUT_URL = env("SVARUT_URL", default="")
SVARUT_BRUKERNAVN = env("SVARUT_BRUKERNAVN", default="")
SVARUT_PASSORD = env("SVARUT_PASSORD", default="")
SVARUT_TIMEOUT = env.float("SVARUT_TIMEOUT", default=60.0)
# Following each letter: beat asks SvarUt for the status of every shipment not yet final every
# SVARUT_STATUS_SEKUNDER, SVARUT_STATUS_BATCH ids per call (POST /statuser), and starts no new call after
# SVARUT_STATUS_TIDSFRIST seconds (the rest waits for the next run, inside the task's time limit).
SVARUT_STATUS_SEKUNDER = env.int("SVARUT_STATUS_SEKUNDER", default=120)
SVARUT_STATUS_BATCH = env.int("SVARUT_STATUS_BATCH", default=100)
SVARUT_STATUS_TIDSFRIST = env.float("SVARUT_STATUS_TIDSFRIST", default=45.0)
if SVARUT_STATUS_SEKUNDER < 10 or not 1 <= SVARUT_STATUS_BATCH <= 1000 or SVARUT_STATUS_TIDSFRIST <= 0:
    raise ImproperlyConfigured("SVARUT_STATUS_SEKUNDER må være minst 10, SVARUT_STATUS_BATCH mellom 1 og 1000, "
                               "og SVARUT_STATUS_TIDSFRIST positiv.")
CELERY_BEAT_SCHEDULE["folg-opp-forsendelser"] = {
    "task": "saker.tasks.folg_opp_forsendelser", "schedule": datetime.timedelta(seconds=SVARUT_STATUS_SEKUNDER)}
# Named in every vedtaksbrev as the body that decides an appeal (forvaltningsloven § 28).
VEDTAKSBREV_KLAGEINSTANS = env("VEDTAKSBREV_KLAGEINSTANS",
                               default="Statsforvalteren i Østfold, Buskerud, Oslo og Akershus")

# The control page flags a vedtak whose vedtaksbrev has not been sent to every party (the case is not closed)
# this many days after the secretariat recorded it. Forvaltningsloven § 27 asks for the parties to be told
# promptly; the number is a local rule.
KONTROLL_BREVFRIST_DAGER = env.int("KONTROLL_BREVFRIST_DAGER", default=14)
if KONTROLL_BREVFRIST_DAGER < 0:
    raise ImproperlyConfigured("KONTROLL_BREVFRIST_DAGER kan ikke være negativ.")
# ... and a letter sent through SvarUt that has had no final status (delivered or not) for this many days: by then
# a digital letter not opened has gone to print and been reported, so one still on its way has most likely stalled.
KONTROLL_LEVERINGSFRIST_DAGER = env.int("KONTROLL_LEVERINGSFRIST_DAGER", default=7)
if KONTROLL_LEVERINGSFRIST_DAGER < 0:
    raise ImproperlyConfigured("KONTROLL_LEVERINGSFRIST_DAGER kan ikke være negativ.")

# PDF/A of the vedtaksbrev, the saksliste and the møtebok, made by LibreOffice headless (Debian:
# libreoffice-writer-nogui). LIBREOFFICE is the soffice binary, a path or a name on PATH; where it is missing
# the pages say so and offer the .docx. Each conversion run is killed after PDFA_TIDSGRENSE seconds; each
# worker process keeps its LibreOffice profile under PDFA_PROFILMAPPE. A møtebok task stops after
# MOTEBOK_TIDSGRENSE seconds.
LIBREOFFICE = env("LIBREOFFICE", default="soffice")
PDFA_TIDSGRENSE = env.float("PDFA_TIDSGRENSE", default=120.0)
PDFA_PROFILMAPPE = Path(env("PDFA_PROFILMAPPE", default=str(VAR_DIR / "libreoffice")))
MOTEBOK_TIDSGRENSE = env.int("MOTEBOK_TIDSGRENSE", default=1800)
if PDFA_TIDSGRENSE <= 0 or MOTEBOK_TIDSGRENSE <= PDFA_TIDSGRENSE:
    raise ImproperlyConfigured("PDFA_TIDSGRENSE må være positiv og mindre enn MOTEBOK_TIDSGRENSE.")
