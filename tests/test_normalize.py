"""How the assistant reads what citizens type."""

from __future__ import annotations

from knowledge.normalize import clean, fold, normalize, tokens


def test_diacritics_and_d_bar_fold_to_plain_letters() -> None:
    assert fold("Đơn KHIẾU NẠI của Ủy ban") == "don khieu nai cua uy ban"


def test_decomposed_input_reads_like_composed() -> None:
    decomposed = "Tho\u0302\u0300i hie\u0302\u0323u"  # what some phone keyboards send
    assert normalize(decomposed) == normalize("Thời hiệu")


def test_chat_shorthand_is_expanded() -> None:
    assert normalize("ubnd xa ko tra loi dc") == "uy ban nhan dan xa khong tra loi duoc"
    assert normalize("mang cccd ko") == "mang can cuoc cong dan khong"
    assert normalize("Đc ko ạ") == "duoc khong a"


def test_broken_is_not_read_as_no() -> None:
    # "hỏng" folds to "hong", which is also chat shorthand for "không" elsewhere.
    assert "hong" in tokens("đường bị hỏng")


def test_document_numbers_stay_whole_and_leading_zeros_drop() -> None:
    assert "10/2022/qh15" in tokens("Luật số 10/2022/QH15")
    assert "61/2023" in tokens("Nghị định 61 / 2023")
    assert tokens("05 ngày") == ["5", "ngay"]


def test_control_characters_are_removed_and_spaces_collapsed() -> None:
    assert clean("xin\x00  chào\u200b\x1b") == "xin chào"
