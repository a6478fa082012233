"""Production's static files: collectstatic with the manifest storage that `make serve` uses finds
every file that a shipped stylesheet or script names (a source map, a font, an image)."""

from django.core.management import call_command


def test_collectstatic_with_the_production_storage_finds_every_file_the_static_files_name(
    settings, tmp_path
):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (settings.STATIC_ROOT / "staticfiles.json").read_text()
    assert "vendor/chartjs/chart.umd.min.js.map" in manifest
    assert "moderation/charts.js" in manifest
