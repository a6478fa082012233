"""Converts GermEval 2018 (German tweets, OFFENSE/OTHER; CC BY 4.0) to Agora's labelled CSV format.

    .venv/bin/python bench/germeval_csv.py \
        /work/shared/data/germeval2018/germeval2018.training.txt var/germeval-train.csv

OFFENSE becomes label 1 with the reason `disrespectful`, OTHER label 0; the `|LBR|` token becomes a
line break. Tweets have no article, so `article_id` is left empty (each row is its own group).
"""

import csv
import sys
from pathlib import Path


def read_germeval(path: Path) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as file:
        for text, coarse, _fine in csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE):
            offensive = coarse == "OFFENSE"
            rows.append(
                {
                    "text": text.replace("|LBR|", "\n").strip(),
                    "label": "1" if offensive else "0",
                    "reason": "disrespectful" if offensive else "",
                    "language": "de",
                }
            )
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=["text", "label", "reason", "language"])
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bench/germeval_csv.py GERMEVAL.txt OUT.csv")
    converted = read_germeval(Path(sys.argv[1]))
    write_csv(converted, Path(sys.argv[2]))
    print(f"rows={len(converted)} offensive={sum(r['label'] == '1' for r in converted)}")
