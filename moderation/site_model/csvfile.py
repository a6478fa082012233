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

from moderation.codes import RejectReason

REQUIRED = ("text", "label")
OPTIONAL = ("reason", "article_id", "article_title", "article_text", "parent_text", "language")


class CsvError(Exception):
    """The file cannot be used; str(error) names the line and the fault."""


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
        raise CsvError(f"Cannot read {path}: {error.strerror or error}") from error
    return parse(raw)


def parse(raw: bytes) -> list[Row]:
    """Every row of a file's bytes (an upload's), checked as `read_rows` checks a file."""
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CsvError(f"Line {line}: not valid UTF-8 (byte {error.start}).") from error
    if not content.strip():
        raise CsvError("Line 1: the file is empty; it needs a header row and at least one row.")
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as error:
        raise CsvError(f"Line 1: {error}") from error
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CsvError(
            f"Line 1: the header lacks the column(s) {', '.join(missing)}; "
            f"it needs {', '.join(REQUIRED)} and may have {', '.join(OPTIONAL)}."
        )
    rows: list[Row] = []
    start = reader.line_num + 1
    try:
        for values in reader:
            if any(value.strip() for value in values):
                rows.append(_row(start, header, values))
            start = reader.line_num + 1
    except csv.Error as error:
        raise CsvError(f"Line {start}: {error}") from error
    if not rows:
        raise CsvError("Line 2: the file has a header but no rows.")
    return rows


def _row(line: int, header: list[str], values: list[str]) -> Row:
    if len(values) != len(header):
        raise CsvError(f"Line {line}: {len(values)} fields, but the header has {len(header)}.")
    if any("\x00" in value for value in values):
        # Postgres refuses to store it; no text a moderator judged holds one.
        raise CsvError(f"Line {line}: a field contains a NUL byte.")
    fields = dict(zip(header, values, strict=True))
    text = fields["text"].strip()
    if not text:
        raise CsvError(f"Line {line}: the text is empty.")
    label = fields["label"].strip()
    if label not in {"0", "1"}:
        raise CsvError(f"Line {line}: the label must be 0 or 1, not {label!r}.")
    reason = fields.get("reason", "").strip()
    if reason and reason not in RejectReason.values:
        raise CsvError(
            f"Line {line}: unknown reason {reason!r}; use one of {', '.join(RejectReason.values)}."
        )
    return Row(
        line=line,
        text=text,
        label=int(label),
        reason=reason if label == "1" else "",
        **{name: fields.get(name, "").strip() for name in OPTIONAL if name != "reason"},
    )
