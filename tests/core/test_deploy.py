"""Deployment: production static files, settings from the environment, health check, compose."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.db.utils import OperationalError

ROOT = Path(settings.BASE_DIR)


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def _settings_in(env: dict[str, str], *names: str) -> dict:
    """The named settings as production would load them from `env` (a fresh interpreter)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in _env_example() and k != "DEBUG"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "qhprojects.settings", "QH_TESTING": "0", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


class TestProductionStatic:
    def test_vendored_files_reference_no_missing_source_map(self):
        vendor = ROOT / "static" / "vendor"
        assert vendor.is_dir(), "run node scripts/vendor_assets.js"
        for path in [*vendor.rglob("*.js"), *vendor.rglob("*.css")]:
            tail = path.read_text(encoding="utf-8", errors="replace")[-300:]
            for target in re.findall(r"sourceMappingURL=(\S+?)(?:\s|\*/|$)", tail):
                assert (path.parent / target).exists(), (
                    f"{path.name} points to missing {target}: static/vendor predates the "
                    "source-map fix, run `node scripts/vendor_assets.js`"
                )

    def test_collectstatic_with_the_production_storage(self, tmp_path, settings):
        # The storage DEBUG=0 uses: it rewrites every url()/sourceMappingURL and fails on a
        # missing target (MissingFileError for bootstrap.bundle.min.js.map before the fix).
        settings.STATIC_ROOT = tmp_path
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        call_command("collectstatic", "--noinput", verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        for name in (
            "vendor/bootstrap/bootstrap.bundle.min.js",
            "vendor/bootstrap/bootstrap.min.css",
            "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
            "css/app.css",
        ):
            assert (tmp_path / manifest[name]).exists()
        css = (tmp_path / manifest["vendor/bootstrap-icons/bootstrap-icons.min.css"]).read_text()
        # The font URLs in the icon CSS point at the hashed copies.
        hashed_font = Path(manifest["vendor/bootstrap-icons/fonts/bootstrap-icons.woff2"]).name
        assert hashed_font in css

    def test_static_root_comes_from_the_environment(self, tmp_path):
        env = {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "example.test",
            "STATIC_ROOT": str(tmp_path),
        }
        assert _settings_in(env, "STATIC_ROOT") == {"STATIC_ROOT": str(tmp_path)}

    def test_ci_runs_collectstatic_with_production_settings(self):
        ci = (ROOT / ".ci" / "run").read_text()
        at = ci.index("manage.py collectstatic")
        step = ci[ci.rindex("\n\n", 0, at) : at + 100]
        assert "DEBUG=0" in step and "STATIC_ROOT=" in step and "--noinput" in step


class TestEnvironment:
    def test_env_example_works_over_plain_http(self):
        # Out of the box (docker compose up with .env.example) the site answers on http://:8000:
        # no redirect to an https port nobody serves, cookies that a plain-HTTP browser keeps.
        got = _settings_in(
            _env_example() | {"DEBUG": "0"},
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "SECURE_PROXY_SSL_HEADER",
        )
        assert got == {
            "SECURE_SSL_REDIRECT": False,
            "SESSION_COOKIE_SECURE": False,
            "CSRF_COOKIE_SECURE": False,
            "SECURE_HSTS_SECONDS": 0,
            "SECURE_PROXY_SSL_HEADER": None,
        }

    def test_behind_a_tls_proxy(self):
        env = {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "projects.example.gov.cn",
            "QH_HTTPS": "1",
            "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        }
        got = _settings_in(
            env,
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "SECURE_PROXY_SSL_HEADER",
        )
        assert got == {
            "SECURE_SSL_REDIRECT": True,
            "SESSION_COOKIE_SECURE": True,
            "CSRF_COOKIE_SECURE": True,
            "SECURE_HSTS_SECONDS": 31536000,
            "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        }

    def test_smtp_credentials_and_tls_from_the_environment(self):
        env = {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "example.test",
            "EMAIL_HOST": "smtp.example.test",
            "EMAIL_PORT": "587",
            "EMAIL_HOST_USER": "robot",
            "EMAIL_HOST_PASSWORD": "s3cret",
            "EMAIL_USE_TLS": "1",
        }
        got = _settings_in(
            env, "EMAIL_BACKEND", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"
        )
        assert got == {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_PORT": 587,
            "EMAIL_HOST_USER": "robot",
            "EMAIL_HOST_PASSWORD": "s3cret",
        }
        assert _settings_in(env, "EMAIL_USE_TLS") == {"EMAIL_USE_TLS": True}

    def test_every_variable_the_settings_read_is_in_env_example_and_readme(self):
        source = (ROOT / "qhprojects" / "settings.py").read_text()
        reads = r"""(?:environ\.get|env_\w+)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
        read = set(re.findall(reads, source))
        assert {"QH_SITE_URL", "EMAIL_HOST_PASSWORD", "MEDIA_ROOT", "LOG_LEVEL"} <= read
        documented = set(_env_example())
        example = (ROOT / ".env.example").read_text()
        commented = set(re.findall(r"^#\s*([A-Z][A-Z0-9_]+)=", example, re.M))
        readme = (ROOT / "README.md").read_text()
        table = readme[readme.index("## Configuration") : readme.index("## Production")]
        missing_example = read - documented - commented - {"QH_TESTING"}
        missing_readme = {name for name in read - {"QH_TESTING"} if f"`{name}`" not in table}
        assert not missing_example, f".env.example lacks {sorted(missing_example)}"
        assert not missing_readme, f"README configuration table lacks {sorted(missing_readme)}"


class TestHealthCheck:
    def test_answers_whatever_allowed_hosts_says(self, client, settings, db):
        # The container check calls http://127.0.0.1:8000/healthz/, a host production never
        # lists; before the fix that was a 400 (DisallowedHost) and the container "unhealthy".
        settings.ALLOWED_HOSTS = ["projects.example.gov.cn"]
        response = client.get("/healthz/", HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        # Every other path still validates the host.
        assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400

    def test_not_redirected_to_https(self, client, settings, db):
        settings.SECURE_SSL_REDIRECT = True
        assert client.get("/healthz/").status_code == 200
        assert client.get("/accounts/login/").status_code == 301

    def test_database_down_is_503(self, client, db):
        with mock.patch("apps.core.views.connection.cursor", side_effect=OperationalError("down")):
            response = client.get("/healthz/")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable"}


class TestCompose:
    @pytest.fixture
    def compose(self):
        return yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    def test_migrations_run_once_before_web_worker_and_beat(self, compose):
        services = compose["services"]
        assert "migrate" in services["migrate"]["command"]
        for name in ("web", "worker", "beat"):
            assert services[name]["depends_on"]["migrate"] == {
                "condition": "service_completed_successfully"
            }, name
            assert "migrate" not in str(services[name].get("command", "")), name
        assert services["migrate"].get("restart", "no") == "no"

    def test_dockerignore_keeps_local_state_out_of_the_image(self):
        ignored = {
            line.strip().strip("/")
            for line in (ROOT / ".dockerignore").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        }
        for name in (".venv", "node_modules", ".env", "db.sqlite3", "media", "staticfiles", ".git"):
            assert name in ignored or f"**/{name}" in ignored, name
        # What the image needs must not be ignored.
        for needed in ("fixtures", "locale", "templates", "static", "scripts"):
            assert needed not in ignored
