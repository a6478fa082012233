"""Production is configured through the environment; mistakes stop start-up with a clear message."""

import secrets

import pytest

from tests.processes import manage

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "news.example.org",
    "DATABASE_URL": "postgres://agora@db.example.org:5432/agora",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://news.example.org",
}


def test_check_deploy_reports_nothing_with_production_variables():
    result = manage("check", "--deploy", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


def test_a_missing_secret_key_stops_start_up_naming_it():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = manage("check", **env)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("name", ["ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "SITE_URL"])
def test_a_missing_production_variable_stops_start_up_naming_it(name):
    env = {k: v for k, v in PRODUCTION.items() if k != name}

    result = manage("check", **env)

    assert result.returncode != 0
    assert f"{name} must be set" in result.stderr


def test_a_malformed_value_stops_start_up_naming_the_variable():
    for name, value in [
        ("DEBUG", "perhaps"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("CELERY_BROKER_URL", "carrier-pigeon://coop"),
        ("EMAIL_PORT", "twenty-five"),
        ("COMMENTS_MAX_LENGTH", "-3"),
        ("SITE_URL", "news.example.org"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
        ("RATELIMIT_COMMENTS_PER_MINUTE", "often"),
        ("RATELIMIT_SIGNUPS_PER_HOUR_PER_IP", "0"),
    ]:
        result = manage("check", **{**PRODUCTION, name: value})

        assert result.returncode != 0, name
        assert name in result.stderr.splitlines()[-1], result.stderr


def test_debug_is_off_unless_set():
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)", **PRODUCTION
    )

    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr


def test_the_cache_is_local_by_default_and_redis_from_cache_url():
    show = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"

    local = manage("shell", "-c", show, **PRODUCTION)
    shared = manage("shell", "-c", show, **PRODUCTION, CACHE_URL="redis://redis:6379/1")

    assert local.stdout.strip().splitlines()[-1].endswith("LocMemCache"), local.stderr
    backend = shared.stdout.strip().splitlines()[-1]
    assert backend == "config.cache.ResilientRedisCache", shared.stderr


def test_commands_run_as_printed_with_the_local_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\n")

    result = manage("check", AGORA_ENV_FILE=str(env_file), AGORA_VAR_DIR=str(tmp_path / "var"))

    assert result.returncode == 0, result.stderr


def test_without_the_local_env_file_production_still_requires_its_variables():
    result = manage("check")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_real_environment_wins_over_the_local_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=true\n")

    result = manage("check", AGORA_ENV_FILE=str(env_file), DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_half_precision_is_refused_without_a_gpu():
    result = manage("check", DEBUG="true", MODERATION_PRECISION="fp16")

    assert result.returncode != 0
    assert "MODERATION_PRECISION=fp16 needs MODERATION_DEVICE=cuda" in result.stderr


def test_an_unknown_precision_is_refused():
    result = manage("check", DEBUG="true", MODERATION_PRECISION="int3")

    assert result.returncode != 0
    assert "MODERATION_PRECISION='int3' must be fp32 or fp16" in result.stderr
