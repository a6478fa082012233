"""Hostile files for the site model's commands: `import_decisions` and `evaluate_policy` refuse a
bad labelled file with a CommandError naming the line, and write nothing; `train_site_model` on
too few examples says so and activates nothing.
"""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from moderation.models import LabelledExample, SiteModelVersion

HEADER = b"text,label,reason\n"
GOOD = b"A fine comment about the ferry.,0,\n"

BAD_FILES = {
    "empty": (b"", "Line 1"),
    "blank lines only": (b"\n\n  \n", "Line 1"),
    "header only": (HEADER, "Line 2"),
    "missing label column": (b"text,reason\nHello,spam\n", "Line 1"),
    "missing text column": (b"label\n1\n", "Line 1"),
    "label 2": (HEADER + GOOD + b"Rude words,2,insult\n", "Line 3"),
    "label -1": (HEADER + b"Rude words,-1,\n", "Line 2"),
    "label yes": (HEADER + b"Rude words,yes,\n", "Line 2"),
    "unknown reason": (HEADER + b"Rude words,1,rudeness\n", "Line 2"),
    "latin-1 bytes": (HEADER + GOOD + "Grüße aus Köln,0,\n".encode("latin-1"), "Line 3"),
    "nul byte": (HEADER + GOOD + b"Hello\x00world,0,\n", "Line 3"),
    "nul byte in reason": (HEADER + b"Hello,1,spam\x00\n", "Line 2"),
    "huge field": (HEADER + b'"' + b"x" * 200_000 + b'",0,\n', "Line 2"),
    "too many fields": (HEADER + b"Hello,0,,extra\n", "Line 2"),
    "too few fields": (HEADER + GOOD + b"Hello\n", "Line 3"),
    "empty text": (HEADER + b"  ,0,\n", "Line 2"),
    "unclosed quote": (HEADER + GOOD + b'"Hello,0,\n', "Line 3"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Line 1"),
}
GOOD_FILES = {
    "bom": b"\xef\xbb\xbf" + HEADER + GOOD,
    "crlf": (HEADER + GOOD + b"Rude words,1,disrespectful\n").replace(b"\n", b"\r\n"),
    "upper-case header with spaces": b" Text , LABEL ,reason\n" + GOOD,
}


def write(tmp_path, content: bytes):
    path = tmp_path / "labelled.csv"
    path.write_bytes(content)
    return str(path)


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_decisions", "evaluate_policy"])
@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_labelled_file_is_refused_naming_the_line_and_nothing_is_written(
    tmp_path, command, name
):
    content, line = BAD_FILES[name]
    LabelledExample.objects.create(
        text="Kept.", label=0, source="import", decided_at=timezone.now()
    )

    with pytest.raises(CommandError) as refused:
        call_command(command, write(tmp_path, content))

    assert line in str(refused.value)
    assert "Traceback" not in str(refused.value)
    assert LabelledExample.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["import_decisions", "evaluate_policy"])
def test_a_missing_file_or_a_folder_is_refused_with_a_message(tmp_path, command):
    for path in [str(tmp_path / "nothing.csv"), str(tmp_path)]:
        with pytest.raises(CommandError, match="Cannot read"):
            call_command(command, path)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GOOD_FILES)
def test_a_bom_crlf_and_an_untidy_header_are_read(tmp_path, name):
    call_command("import_decisions", write(tmp_path, GOOD_FILES[name]))

    texts = set(LabelledExample.objects.values_list("text", flat=True))
    assert "A fine comment about the ferry." in texts
    assert not any(text.startswith("\ufeff") or "\r" in text for text in texts)
    assert set(LabelledExample.objects.values_list("label", flat=True)) <= {0, 1}


@pytest.mark.django_db
def test_the_imported_fields_keep_to_their_columns_lengths(tmp_path):
    long = "y" * 5000
    content = b"text,label,article_id,article_title,language\n" + (
        f"Hello,0,{long},{long},{long}\n".encode()
    )

    call_command("import_decisions", write(tmp_path, content))

    example = LabelledExample.objects.get()
    assert (len(example.article_ref), len(example.article_title), len(example.language)) == (
        100,
        300,
        12,
    )


@pytest.mark.django_db
def test_evaluate_policy_with_an_unknown_policy_version_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No policy version"):
        call_command("evaluate_policy", write(tmp_path, HEADER + GOOD), policy=999999)


@pytest.mark.django_db
@pytest.mark.parametrize("examples", [[], [0], [0, 1], [1] * 30, [0] * 30])
def test_training_on_too_few_examples_says_so_and_activates_nothing(examples):
    LabelledExample.objects.bulk_create(
        LabelledExample(
            text=f"Comment {i}",
            label=label,
            source="import",
            article_ref=str(i),
            decided_at=timezone.now(),
        )
        for i, label in enumerate(examples)
    )

    with pytest.raises(CommandError, match="Nothing was trained or activated"):
        call_command("train_site_model", activate=True)

    assert not SiteModelVersion.objects.exists()
