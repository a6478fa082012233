"""The labelled CSV format that `import_decisions` and `evaluate_policy` read.

UTF-8 with a header row: `text` and `label` (1: a moderator would not publish it, 0: fine) are
required; `reason`, `article_id`, `article_title`, `article_text`, `parent_text` and `language`
are optional. The whole file is checked before anything is used, and a fault names its line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from moderation.codes import RejectReason

REQUIRED = ("text", "label")
OPTIONAL = ("reason", "article_id", "article_title", "article_text", "parent_text", "language")


class CsvError(Exception):
    """The file cannot be used; str(error) names the line and the fault, in the active language
    (a management command runs in English)."""


@dataclass(frozen=True)
class Row:
    line: int
    text: str
    label: int
    reason: str = ""
    article_id: str = ""
    article_title: str = ""
    article_text: str = ""
    parent_text: str = ""
    language: str = ""


def read_rows(path: Path | str) -> list[Row]:
    """Every row of the file, checked; raises CsvError naming the first faulty line."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CsvError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror or error}
        ) from error
    return parse(raw)


def parse(raw: bytes) -> list[Row]:
    """Every row of a file's bytes (an upload's), checked as `read_rows` checks a file."""
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvError(
            _("Line %(line)d: not valid UTF-8 (byte %(byte)d).")
            % {"line": line, "byte": error.start}
        ) from error
    if not content.strip():
        raise CsvError(_("Line 1: the file is empty; it needs a header row and at least one row."))
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as error:
        raise CsvError(_("Line %(line)d: %(error)s") % {"line": 1, "error": error}) from error
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CsvError(
            _(
                "Line 1: the header lacks the column(s) %(missing)s; it needs %(required)s and "
                "may have %(optional)s."
            )
            % {
                "missing": ", ".join(missing),
                "required": ", ".join(REQUIRED),
                "optional": ", ".join(OPTIONAL),
            }
        )
    rows: list[Row] = []
    start = reader.line_num + 1
    try:
        for values in reader:
            if any(value.strip() for value in values):
                rows.append(_row(start, header, values))
            start = reader.line_num + 1
    except csv.Error as error:
        raise CsvError(_("Line %(line)d: %(error)s") % {"line": start, "error": error}) from error
    if not rows:
        raise CsvError(_("Line 2: the file has a header but no rows."))
    return rows


def _row(line: int, header: list[str], values: list[str]) -> Row:
    if len(values) != len(header):
        raise CsvError(
            _("Line %(line)d: %(fields)d fields, but the header has %(header)d.")
            % {"line": line, "fields": len(values), "header": len(header)}
        )
    if any("\x00" in value for value in values):
        # Postgres refuses to store it; no text a moderator judged holds one.
        raise CsvError(_("Line %(line)d: a field contains a NUL byte.") % {"line": line})
    fields = dict(zip(header, values, strict=True))
    text = fields["text"].strip()
    if not text:
        raise CsvError(_("Line %(line)d: the text is empty.") % {"line": line})
    label = fields["label"].strip()
    if label not in {"0", "1"}:
        raise CsvError(
            _("Line %(line)d: the label must be 0 or 1, not %(label)r.")
            % {"line": line, "label": label}
        )
    reason = fields.get("reason", "").strip()
    if reason and reason not in RejectReason.values:
        raise CsvError(
            _("Line %(line)d: unknown reason %(reason)r; use one of %(reasons)s.")
            % {"line": line, "reason": reason, "reasons": ", ".join(RejectReason.values)}
        )
    return Row(
        line=line,
        text=text,
        label=int(label),
        reason=reason if label == "1" else "",
        **{name: fields.get(name, "").strip() for name in OPTIONAL if name != "reason"},
    )
