"""Plain-text tables: display widths with CJK, wrapping to the terminal, IRIs kept whole."""

from __future__ import annotations

from aiaccess.tables import Cell, render, width

IRI = "evidence/zh-openai-china-api-ban/1193-1226-policy-openai-api-restriction-china"


def test_chinese_characters_take_two_columns() -> None:
    assert (width("微软"), width("Microsoft"), width("Trung Quốc"), width("סין")) == (4, 9, 10, 3)


def test_columns_line_up_by_display_width() -> None:
    rows = [[Cell("微软"), Cell("a")], [Cell("Microsoft"), Cell("b")]]
    header, rule, first, second = render(["name", "x"], rows, None).splitlines()
    assert header == "name       x"
    assert first == "微软       a"  # 4 columns of text + 7 spaces, like "Microsoft  "
    assert second == "Microsoft  b"
    assert rule == "---------  -"


def test_long_text_wraps_to_fit_and_iris_stay_whole() -> None:
    text = "Microsoft confirms that Azure OpenAI stays available to users in Hong Kong"
    table = render(["evidence", "gloss"], [[Cell(IRI, True), Cell(text)]], 100)
    lines = table.splitlines()
    assert all(width(line) <= 100 for line in lines)
    assert lines[2].startswith(IRI + "  ")
    assert " ".join(line[len(IRI) :].strip() for line in lines[2:]) == text


def test_chinese_text_without_spaces_wraps_between_characters() -> None:
    text = "微软在中国提供的Azure OpenAI服务没有任何变化"
    lines = render(["quote"], [[Cell(text)]], 16).splitlines()[2:]
    assert all(width(line) <= 16 for line in lines) and len(lines) > 2
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_table_too_narrow_for_its_iris_shows_one_block_per_row() -> None:
    rows = [[Cell(IRI, True), Cell("微软 " * 12)], [Cell("policy/x", True), Cell("")]]
    blocks = render(["evidence", "said"], rows, 60).split("\n\n")
    first, second = (block.splitlines() for block in blocks)
    assert first[0] == f"evidence  {IRI}"  # longer than the terminal, but whole
    assert first[1].startswith("said      微软 微软") and all(width(x) <= 60 for x in first[1:])
    assert second == ["evidence  policy/x", "said"]


def test_urls_in_text_cells_stay_whole() -> None:
    url = "https://gptwangzhi.top/chatgpt/498.html"
    assert Cell.of(url).whole and not Cell.of("see " + url).whole
    lines = render(["url", "note"], [[Cell.of(url), Cell.of("x " * 30)]], 60).splitlines()
    assert lines[2].startswith(url)


def test_without_a_width_nothing_wraps() -> None:
    text = "a long sentence " * 10
    assert len(render(["t"], [[Cell(text.strip())]], None).splitlines()) == 3
