import subprocess
import sys

from django.conf import settings

SCRIPT = """
import sys, django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.factories import make_article, make_user
article = make_article()
client = Client()
client.force_login(make_user())
assert client.get(article.get_absolute_url()).status_code == 200
assert client.post(article.get_absolute_url() + "comments/", {"body": "Hallo"}).status_code == 302
assert client.get("/admin/").status_code in (200, 302)
print(sorted(m for m in ("torch", "transformers", "detoxify", "sentence_transformers")
             if m in sys.modules))
"""


def test_the_web_process_never_loads_a_model(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=settings.BASE_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "true",
            "AGORA_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
