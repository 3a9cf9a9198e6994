import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'db': db['ENGINE'], 'name': str(db['NAME']),"
    " 'eager': settings.CELERY_TASK_ALWAYS_EAGER, 'mail': settings.EMAIL_BACKEND,"
    " 'mail_path': str(getattr(settings, 'EMAIL_FILE_PATH', '')), 'media': str(settings.MEDIA_ROOT),"
    " 'site': settings.SITE_URL, 'debug': settings.DEBUG, 'key': settings.SECRET_KEY}))"
)


# Settings the tests decide; the rest of the caller's environment is passed through.
STYRT = {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SECRET_KEY", "DEBUG", "SITE_URL", "ALLOWED_HOSTS",
         "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE", "UTSENDING_BACKEND", "SVARUT_URL", "SVARUT_BRUKERNAVN",
         "SVARUT_PASSORD", "STATIC_ROOT", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_GRUPPER",
         "LOKAL_INNLOGGING"}
# A production configuration with every required setting, for the tests to take one away from.
PRODUKSJON = {
    "SECRET_KEY": "k8#Qp2!vZ0x@Lm7$Rt5^Wn3&Yb1*Hc9(Jd4)Fg6-Ks8_Ph2+Ue7=Ai0",
    "DATABASE_URL": "sqlite:////tmp/overgang-deploy-check.sqlite3",
    "ALLOWED_HOSTS": "overgang.lillestrom.kommune.no",
    "SITE_URL": "https://overgang.lillestrom.kommune.no",
    "EMAIL_URL": "smtp+tls://overgang:hemmelig@smtp.lillestrom.kommune.no:587",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
SVARUT = {"UTSENDING_BACKEND": "svarut", "SVARUT_URL": "https://test.svarut.ks.no",
          "SVARUT_BRUKERNAVN": "lillestrom-overgang", "SVARUT_PASSORD": "hemmelig"}

OIDC = {"OIDC_ISSUER": "https://login.microsoftonline.com/5b1f0c3e-tenant/v2.0",
        "OIDC_CLIENT_ID": "7c2d9e4f-overgang", "OIDC_CLIENT_SECRET": "hemmelig",
        "OIDC_GRUPPER": '{"2f9c1a4e-saksbehandlere": {"rolle": "saksbehandler"}}'}


def miljo(module: str, **env: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in STYRT}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return clean


def run_settings(module: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=miljo(module, **env), capture_output=True,
                          text=True, timeout=60)


def uten(env: dict[str, str], navn: str) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != navn}


def test_local_defaults_need_no_services():
    result = run_settings("overgang.settings.local")
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["db"] == "django.db.backends.sqlite3"
    assert s["name"].startswith(str(ROOT / "var"))
    assert s["eager"] is True
    assert s["mail"] == "django.core.mail.backends.filebased.EmailBackend"
    assert s["mail_path"] == str(ROOT / "var" / "mail")
    assert s["media"] == str(ROOT / "var" / "media")
    assert s["site"] == "http://127.0.0.1:8000"
    assert s["debug"] is True


def test_environment_overrides_defaults():
    result = run_settings("overgang.settings.local", DATABASE_URL="postgres://u@db.example:5432/overgang",
                          CELERY_BROKER_URL="redis://127.0.0.1:6379/0", SITE_URL="https://overgang.example.no/")
    s = json.loads(result.stdout)
    assert s["db"] == "django.db.backends.postgresql"
    assert s["name"] == "overgang"
    assert s["eager"] is False
    assert s["site"] == "https://overgang.example.no"


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_settings("overgang.settings.base", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY må settes" in result.stderr


def test_production_refuses_missing_settings():
    result = run_settings("overgang.settings.production", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "DATABASE_URL må settes" in result.stderr


def test_production_starts_with_every_required_setting():
    result = run_settings("overgang.settings.production", **PRODUKSJON)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout)
    assert s["eager"] is False
    assert s["mail"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_refuses_to_start_without_email_url():
    result = run_settings("overgang.settings.production", **uten(PRODUKSJON, "EMAIL_URL"))
    assert result.returncode != 0
    assert "EMAIL_URL må settes i produksjon" in result.stderr


def test_production_refuses_an_empty_email_url():
    result = run_settings("overgang.settings.production", **{**PRODUKSJON, "EMAIL_URL": ""})
    assert result.returncode != 0
    assert "EMAIL_URL må settes i produksjon" in result.stderr


def test_production_refuses_to_start_without_a_celery_broker():
    result = run_settings("overgang.settings.production", **uten(PRODUKSJON, "CELERY_BROKER_URL"))
    assert result.returncode != 0
    assert "CELERY_BROKER_URL må settes i produksjon" in result.stderr


def test_production_starts_with_the_svarut_backend_fully_configured():
    result = run_settings("overgang.settings.production", **PRODUKSJON, **SVARUT)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("navn", ["SVARUT_URL", "SVARUT_BRUKERNAVN", "SVARUT_PASSORD"])
def test_production_refuses_the_svarut_backend_without_its_account(navn):
    result = run_settings("overgang.settings.production", **PRODUKSJON, **uten(SVARUT, navn))
    assert result.returncode != 0
    assert f"{navn} må settes når UTSENDING_BACKEND er «svarut»." in result.stderr


def test_production_names_every_missing_svarut_setting():
    result = run_settings("overgang.settings.production", **PRODUKSJON, UTSENDING_BACKEND="svarut")
    assert result.returncode != 0
    assert "SVARUT_URL, SVARUT_BRUKERNAVN og SVARUT_PASSORD må settes når UTSENDING_BACKEND er «svarut»." in (
        result.stderr)


def test_production_without_svarut_needs_no_svarut_account():
    result = run_settings("overgang.settings.production", **PRODUKSJON, UTSENDING_BACKEND="manuell")
    assert result.returncode == 0, result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    env = miljo("overgang.settings.production", **PRODUKSJON)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """The manifest storage follows every url() and sourceMappingURL; a missing file would stop a deploy."""
    env = miljo("overgang.settings.production", **{**PRODUKSJON, "SECRET_KEY": "k" * 60,
                "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "STATIC_ROOT": str(tmp_path / "static")})
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "vendor/bootstrap/bootstrap.min.css" in manifest["paths"]
    assert "css/overgang.css" in manifest["paths"]


def test_production_starts_with_the_municipalitys_sign_in_fully_configured():
    result = run_settings("overgang.settings.production", **PRODUKSJON, **OIDC, LOKAL_INNLOGGING="false")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("navn", ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_GRUPPER"])
def test_production_refuses_a_half_configured_identity_provider(navn):
    result = run_settings("overgang.settings.production", **PRODUKSJON, **uten(OIDC, navn))
    assert result.returncode != 0
    assert f"{navn} må settes når innlogging med kommunens konto (OIDC) er satt opp." in result.stderr


def test_production_names_every_missing_oidc_setting():
    result = run_settings("overgang.settings.production", **PRODUKSJON, OIDC_CLIENT_ID="7c2d9e4f-overgang")
    assert result.returncode != 0
    assert ("OIDC_ISSUER, OIDC_CLIENT_SECRET og OIDC_GRUPPER må settes når innlogging med kommunens konto (OIDC) "
            "er satt opp.") in result.stderr


def test_production_refuses_an_identity_provider_without_https():
    result = run_settings("overgang.settings.production", **PRODUKSJON,
                          **{**OIDC, "OIDC_ISSUER": "http://idp.lillestrom.kommune.no"})
    assert result.returncode != 0
    assert "OIDC_ISSUER må være en https-adresse i produksjon." in result.stderr


def test_production_refuses_switching_off_passwords_without_an_identity_provider():
    result = run_settings("overgang.settings.production", **PRODUKSJON, LOKAL_INNLOGGING="false")
    assert result.returncode != 0
    assert "LOKAL_INNLOGGING kan bare slås av når innlogging med kommunens konto" in result.stderr


@pytest.mark.parametrize(("grupper", "melding"), [
    ("{ikke json", "OIDC_GRUPPER er ikke gyldig JSON"),
    ('{"2f9c": {"rolle": "sjef"}}', "OIDC_GRUPPER['2f9c']: «rolle» må være en av saksbehandler, godkjenner, "
                                    "sekretariat (fikk 'sjef')."),
])
def test_every_environment_refuses_a_wrong_group_mapping(grupper, melding):
    result = run_settings("overgang.settings.local", OIDC_GRUPPER=grupper)
    assert result.returncode != 0
    assert melding in result.stderr


def test_the_identity_provider_may_receive_the_sign_out_form():
    """Signing out posts a form that the app answers with a redirect to the provider; the browser checks that
    redirect against the page's form-action."""
    probe = ("import django; from django.conf import settings; django.setup(); "
             "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env=miljo("overgang.settings.production", **PRODUKSJON, **OIDC))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["'self'", "https://login.microsoftonline.com"]
