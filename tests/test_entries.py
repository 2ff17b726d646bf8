"""The curated content and its format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.entries import MAX_ANSWER_CHARS, ContentError, Entry, load_entries

ENTRY = """
- id: sample-entry
  topic: Mẫu
  questions: ["Câu một?", "Câu hai?"]
  answer: Đây là một câu trả lời đủ dài để hợp lệ.
  sources:
    - {law: Luật Khiếu nại, number: 02/2011/QH13, article: Điều 9}
"""


def test_the_starter_set_has_enough_real_cited_entries(curated: list[Entry]) -> None:
    assert len(curated) >= 25
    for entry in curated:
        assert len(entry.answer) <= MAX_ANSWER_CHARS
        for source in entry.sources:
            assert re.search(r"\d", source.number), entry.id


def test_answers_quoting_amended_laws_say_so(curated: list[Entry]) -> None:
    amended = ("Luật Khiếu nại", "Luật Tố cáo", "Luật Tiếp công dân")
    for entry in curated:
        if any(source.law in amended for source in entry.sources):
            assert entry.amended_note and "01/7/2026" in entry.amended_note, entry.id


def test_no_answer_speaks_of_the_district_as_current(curated: list[Entry]) -> None:
    for entry in curated:
        if "huyện" in entry.answer:
            assert "không còn" in entry.answer.lower() or "trước đây" in entry.answer, entry.id


def test_a_broken_entry_is_reported_with_its_file_and_id(tmp_path: Path) -> None:
    bad = tmp_path / "hong.yaml"
    bad.write_text(
        ENTRY.replace(
            "    - {law: Luật Khiếu nại, number: 02/2011/QH13, article: Điều 9}", "    []"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_entries([bad])
    assert "hong.yaml" in str(caught.value) and "sample-entry" in str(caught.value)


def test_duplicate_ids_across_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ENTRY, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(ENTRY, encoding="utf-8")
    with pytest.raises(ContentError, match="trùng id"):
        load_entries(sorted(tmp_path.glob("*.yaml")))


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "vo.yaml").write_text("- id: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"vo\.yaml"):
        load_entries([tmp_path / "vo.yaml"])
