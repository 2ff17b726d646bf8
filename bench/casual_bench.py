"""The casual set (issue 17): how citizens really write, judged per kind of failure.

    .venv/bin/python bench/casual_bench.py [--set PATH] [--code DIR] [--misses]

``--code DIR`` runs the same judge on another checkout (``git archive <commit> | tar -x -C
DIR``), so the old and the new engine are compared on the same items and judge. Each item ends
in one outcome:

- ``right``: the expected answer given, the expected flow started, or the expected kind of
  decline (an old engine without decline kinds gets the benefit of the doubt: any decline of an
  item that expects one is counted right);
- ``offered``: read back with the right entry among the choices (not right, not wrong);
- ``declined``: declined where an answer or a flow was expected;
- ``flow``: a flow started where a question was asked or another flow was expected;
- ``wrong``: an answer given from an entry that does not answer it (confidently wrong), or
  a read-back of unrelated questions for an item that expects a decline;
- ``other``: anything else (a read-back without the right entry, a greeting).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASUAL_SET = Path(__file__).parent / "casual_questions.yaml"
FLOWS = ("reception", "petition", "petition_status")
OUTCOMES = ("right", "offered", "declined", "flow", "wrong", "other")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def outcome(item: dict[str, Any], result: dict[str, Any]) -> str:
    intent = result["intent"]
    entries = _as_list(item.get("entry"))
    declines = _as_list(item.get("decline"))
    flows = _as_list(item.get("expect")) + _as_list(item.get("expect_also"))
    if intent in FLOWS:
        return "right" if intent in flows else "flow"
    if intent == "faq" and result["matched"]:
        return "right" if result["entry_id"] in entries else "wrong"
    if intent == "faq":
        if set(result["alternatives"]) & set(entries):
            return "offered"
        return "wrong" if declines and not entries else "other"
    if intent == "fallback":
        kind = result.get("decline")
        if declines and (kind is None or kind in declines):
            return "right"
        return "declined"
    return "other"


def run(items: list[dict[str, Any]]) -> tuple[dict[str, Counter[str]], list[str]]:
    from handlers.faq.answers import understand
    from knowledge.entries import load_entries
    from knowledge.index import FaqIndex

    index = FaqIndex(load_entries())
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    misses = []
    for item in items:
        result = understand(index, item["q"]).to_json()
        got = outcome(item, result)
        per_kind[item["kind"]][got] += 1
        if got != "right":
            misses.append(
                f"[{item['kind']}] {got}: {item['q'][:90]!r} -> {result['intent']}"
                f" {result['entry_id'] or ''} {result.get('decline') or ''}"
            )
    return per_kind, misses


def table(per_kind: dict[str, Counter[str]]) -> str:
    rows = ["| kind | items | " + " | ".join(OUTCOMES) + " | right % |", "|---" * 9 + "|"]
    total: Counter[str] = Counter()
    for kind, counts in per_kind.items():
        total.update(counts)
        n = sum(counts.values())
        cells = " | ".join(str(counts[o]) for o in OUTCOMES)
        rows.append(f"| {kind} | {n} | {cells} | {100 * counts['right'] / n:.0f} |")
    n = sum(total.values())
    cells = " | ".join(f"**{total[o]}**" for o in OUTCOMES)
    rows.append(f"| **all** | {n} | {cells} | **{100 * total['right'] / n:.1f}** |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, default=CASUAL_SET)
    parser.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    items = yaml.safe_load(args.set.read_text(encoding="utf-8"))
    sys.path.insert(0, str(args.code.resolve()))
    os.chdir(args.code)
    per_kind, misses = run(items)
    print(table(per_kind))
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
